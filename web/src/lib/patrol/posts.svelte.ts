/**
 * The major-event posts (岗位) the team is assigned to, on the patrol phone: asked for on every
 * connect and after a check-in; 签到 at a post is sent under a client id kept until it is
 * answered, so a retry after a lost answer counts once.
 */
import type { Ack } from '@lianfang/server/events';
import type { PatrolPost, PostCheckIn } from '../../../../server/src/majorEvents/schemas';
import type { PatrolLink } from './socket.svelte';

export type { PatrolPost };

export class PatrolPosts {
  list = $state.raw<PatrolPost[]>([]);
  /** `eventId/postId` of a check-in on its way. */
  sending = $state<string | null>(null);
  failed = $state<string | null>(null);
  #ids = new Map<string, string>();

  constructor(private readonly link: PatrolLink) {}

  async load(): Promise<void> {
    try {
      const res = await this.link.request<Ack<{ posts: PatrolPost[] }>>((socket, ack) => socket.emit('patrol:posts', ack));
      if ('data' in res) this.list = res.data.posts;
    } catch {
      // Asked again on the next connect.
    }
  }

  async checkIn(post: PatrolPost): Promise<void> {
    const key = `${post.eventId}/${post.postId}`;
    const id = this.#ids.get(key) ?? crypto.randomUUID();
    this.#ids.set(key, id);
    this.sending = key;
    this.failed = null;
    try {
      const res = await this.link.request<Ack<PostCheckIn>>((socket, ack) => socket.emit('post:checkin', { id, eventId: post.eventId, postId: post.postId }, ack));
      if ('error' in res) this.failed = key;
      else {
        this.#ids.delete(key);
        await this.load();
      }
    } catch {
      this.failed = key;
    } finally {
      this.sending = null;
    }
  }
}
