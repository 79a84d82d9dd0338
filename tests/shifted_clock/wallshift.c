/* wallshift: an LD_PRELOAD library that moves the wall clock and nothing else.
 *
 * WALLSHIFT_SECONDS=N (an integer, may be negative) adds N seconds to every wall-clock read:
 * clock_gettime(CLOCK_REALTIME*), gettimeofday(), time() and timespec_get(). The monotonic and
 * CPU clocks and file times stay real, and so do timeouts: a wait until an absolute wall-clock
 * deadline (pthread_cond_timedwait on a CLOCK_REALTIME condition, sem_timedwait, timed locks and
 * joins, clock_nanosleep with TIMER_ABSTIME) gets its deadline moved back by N before the kernel
 * sees it, since the caller computed it from the shifted clock. Without that, libcec's threads
 * in Kodi wait a year at quit.
 * Why not libfaketime: Debian's 0.9.10 breaks Python 3.11's time.sleep (EINVAL or hangs).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

/* glibc >= 2.25 keeps a condition variable's clock in bit 1 of __wrefs (set: CLOCK_MONOTONIC). */
#define COND_CLOCK_MONOTONIC_MASK 2u

static long long shift_seconds;
static int ready;
static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_cond_timedwait)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
static int (*real_cond_clockwait)(pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *);
static int (*real_sem_timedwait)(sem_t *, const struct timespec *);
static int (*real_sem_clockwait)(sem_t *, clockid_t, const struct timespec *);
static int (*real_mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
static int (*real_rwlock_timedrdlock)(pthread_rwlock_t *, const struct timespec *);
static int (*real_rwlock_timedwrlock)(pthread_rwlock_t *, const struct timespec *);
static int (*real_timedjoin_np)(pthread_t, void **, const struct timespec *);
static int (*real_clock_nanosleep)(clockid_t, int, const struct timespec *, struct timespec *);

static void load(void) {
    if (ready) return;
    const char *text = getenv("WALLSHIFT_SECONDS");
    shift_seconds = text ? strtoll(text, NULL, 10) : 0;
    real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
    /* The versions new binaries bind to (the 2.2.5 condvar is the pre-2.3.2 layout). */
    real_cond_timedwait = dlvsym(RTLD_NEXT, "pthread_cond_timedwait", "GLIBC_2.3.2");
    if (real_cond_timedwait == NULL) real_cond_timedwait = dlsym(RTLD_NEXT, "pthread_cond_timedwait");
    real_cond_clockwait = dlsym(RTLD_NEXT, "pthread_cond_clockwait");
    real_sem_timedwait = dlsym(RTLD_NEXT, "sem_timedwait");
    real_sem_clockwait = dlsym(RTLD_NEXT, "sem_clockwait");
    real_mutex_timedlock = dlsym(RTLD_NEXT, "pthread_mutex_timedlock");
    real_rwlock_timedrdlock = dlsym(RTLD_NEXT, "pthread_rwlock_timedrdlock");
    real_rwlock_timedwrlock = dlsym(RTLD_NEXT, "pthread_rwlock_timedwrlock");
    real_timedjoin_np = dlsym(RTLD_NEXT, "pthread_timedjoin_np");
    real_clock_nanosleep = dlsym(RTLD_NEXT, "clock_nanosleep");
    ready = 1;
}

static int is_wall(clockid_t id) {
    return id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE;
}

/* A wall-clock deadline computed from the shifted clock, as the kernel's real clock knows it. */
static const struct timespec *real_deadline(const struct timespec *shifted, struct timespec *out) {
    if (shifted == NULL || shift_seconds == 0) return shifted;
    *out = *shifted;
    out->tv_sec -= shift_seconds;
    return out;
}

int clock_gettime(clockid_t id, struct timespec *ts) {
    load();
    int result = real_clock_gettime(id, ts);
    if (result == 0 && is_wall(id)) ts->tv_sec += shift_seconds;
    return result;
}

int gettimeofday(struct timeval *tv, void *tz) {
    struct timespec now;
    (void)tz; /* the timezone argument is obsolete; glibc fills nothing either */
    if (clock_gettime(CLOCK_REALTIME, &now) != 0) return -1;
    tv->tv_sec = now.tv_sec;
    tv->tv_usec = now.tv_nsec / 1000;
    return 0;
}

time_t time(time_t *out) {
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0) return (time_t)-1;
    if (out != NULL) *out = now.tv_sec;
    return now.tv_sec;
}

int timespec_get(struct timespec *ts, int base) {
    if (base != TIME_UTC || clock_gettime(CLOCK_REALTIME, ts) != 0) return 0;
    return base;
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *abstime) {
    struct timespec copy;
    load();
    unsigned int flags = __atomic_load_n(&cond->__data.__wrefs, __ATOMIC_RELAXED);
    if (flags & COND_CLOCK_MONOTONIC_MASK) return real_cond_timedwait(cond, mutex, abstime);
    return real_cond_timedwait(cond, mutex, real_deadline(abstime, &copy));
}

int pthread_cond_clockwait(pthread_cond_t *cond, pthread_mutex_t *mutex, clockid_t id, const struct timespec *abstime) {
    struct timespec copy;
    load();
    return real_cond_clockwait(cond, mutex, id, is_wall(id) ? real_deadline(abstime, &copy) : abstime);
}

int sem_timedwait(sem_t *sem, const struct timespec *abstime) {
    struct timespec copy;
    load();
    return real_sem_timedwait(sem, real_deadline(abstime, &copy));
}

int sem_clockwait(sem_t *sem, clockid_t id, const struct timespec *abstime) {
    struct timespec copy;
    load();
    return real_sem_clockwait(sem, id, is_wall(id) ? real_deadline(abstime, &copy) : abstime);
}

int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *abstime) {
    struct timespec copy;
    load();
    return real_mutex_timedlock(mutex, real_deadline(abstime, &copy));
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *lock, const struct timespec *abstime) {
    struct timespec copy;
    load();
    return real_rwlock_timedrdlock(lock, real_deadline(abstime, &copy));
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *lock, const struct timespec *abstime) {
    struct timespec copy;
    load();
    return real_rwlock_timedwrlock(lock, real_deadline(abstime, &copy));
}

int pthread_timedjoin_np(pthread_t thread, void **result, const struct timespec *abstime) {
    struct timespec copy;
    load();
    return real_timedjoin_np(thread, result, real_deadline(abstime, &copy));
}

int clock_nanosleep(clockid_t id, int flags, const struct timespec *request, struct timespec *remain) {
    struct timespec copy;
    load();
    if ((flags & TIMER_ABSTIME) && is_wall(id)) request = real_deadline(request, &copy);
    return real_clock_nanosleep(id, flags, request, remain);
}
