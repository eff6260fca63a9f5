import type { FastifyReply } from 'fastify';

/**
 * Sends a JSON body that is already text (rendered by the database on a hot path) without parsing
 * and serialising it again: Fastify passes a string with a JSON content type through as it is. The
 * route's response schema still documents the shape in the OpenAPI document, and the route's API
 * tests check the body against it, since no serializer does here.
 */
export function sendRenderedJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.header('content-type', 'application/json; charset=utf-8').send(json);
}
