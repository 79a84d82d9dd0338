"""Trakt's published API contract as JSON Schemas: response, request-body and query schemas per endpoint,
the endpoint table that picks them, and the rules for error answers and paging headers.

Written from the Zod schemas of `trakt/trakt-api` (`projects/api/src/contracts/`, commit in `base.CONTRACT`);
what the contract leaves open cites its other source in each schema's `$comment`."""
