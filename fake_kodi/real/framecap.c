/* framecap: an LD_PRELOAD library that paces Kodi's frames under Xvfb.
 *
 * Kodi swaps its GL buffers with glXSwapBuffers and, without vsync (Xvfb's GLX offers no swap-control
 * extension), renders as many frames as llvmpipe can draw while anything moves: window transitions,
 * the busy spinner of a running route, dialogs. After each swap this library sleeps until 1/FPS of a
 * second has passed since the previous one, as a display's vsync would. FAKE_KODI_REAL_FPS=N sets N
 * (read once; 0 or unset leaves the frames unpaced). Only the monotonic clock is read, so the
 * shifted-clock lane's wall-clock library does not disturb it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void (*swap_buffers_fn)(void *display, unsigned long drawable);

static long long interval_ns = -1;
static struct timespec previous;

/* Sleep until the frame interval since the previous call has passed. Exported for the tests. */
void framecap_pace(void) {
    if (interval_ns < 0) {
        const char *fps = getenv("FAKE_KODI_REAL_FPS");
        long value = fps ? atol(fps) : 0;
        interval_ns = value > 0 ? 1000000000LL / value : 0;
    }
    if (interval_ns == 0) {
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long since = (now.tv_sec - previous.tv_sec) * 1000000000LL + (now.tv_nsec - previous.tv_nsec);
    if ((previous.tv_sec || previous.tv_nsec) && since < interval_ns) {
        long long wait_ns = interval_ns - since;
        struct timespec wait = {wait_ns / 1000000000LL, wait_ns % 1000000000LL};
        while (nanosleep(&wait, &wait) != 0 && errno == EINTR) {
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
    }
    previous = now;
}

void glXSwapBuffers(void *display, unsigned long drawable) {
    static swap_buffers_fn real_swap;
    if (!real_swap) {
        real_swap = (swap_buffers_fn)dlsym(RTLD_NEXT, "glXSwapBuffers");
    }
    real_swap(display, drawable);
    framecap_pace();
    static int announced;
    if (!announced && interval_ns > 0) {
        announced = 1;
        /* Kodi's stderr goes to kodi-stdout.log: the line shows that Kodi's own swaps are paced. */
        fprintf(stderr, "framecap: glXSwapBuffers paced to %s fps\n", getenv("FAKE_KODI_REAL_FPS"));
    }
}
