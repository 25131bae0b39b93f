/**
 * The webview's side of the protocol: requests that resolve with the host's response of the same
 * id, and a listener per event. It takes the function that posts and the function that subscribes
 * to incoming messages, so tests drive it without a browser or a host.
 */
import { isToWebviewMessage, type EditorProblem, type EventName, type Events, type Requests } from '../shared/protocol';
import { t } from './l10n';

type RequestTable<R> = { [M in keyof R]: { params: unknown; result: unknown } };
/** A request of table R (the frames editor's Requests, or the gallery's). */
export type RequestOf<R extends RequestTable<R>> = { [M in keyof R]: { kind: 'request'; id: number; method: M; params: R[M]['params'] } }[keyof R];
export type PostToHost<R extends RequestTable<R> = Requests> = (message: RequestOf<R>) => void;
export type SubscribeToHost = (listener: (data: unknown) => void) => void;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** A request the host could not answer: what went wrong, as the host put it. */
class HostProblemError extends Error {
  constructor(readonly problem: EditorProblem) {
    super(problem.message);
    this.name = 'HostProblemError';
  }
}

/** The problem an error from a request carries; anything else (a fault of the page) as a problem too. */
export function problemOf(error: unknown): EditorProblem {
  if (error instanceof HostProblemError) return error.problem;
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), advice: t('Reload the editor.'), actions: ['reload'] };
}

export class HostClient<R extends RequestTable<R> = Requests> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Array<(body: never) => void>>();

  constructor(
    private readonly post: PostToHost<R>,
    subscribe: SubscribeToHost,
  ) {
    subscribe((data) => this.receive(data));
  }

  request<M extends keyof R>(method: M, params: R[M]['params']): Promise<R[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.post({ kind: 'request', id, method, params } as RequestOf<R>);
    });
  }

  on<E extends EventName>(name: E, listener: (body: Events[E]) => void): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as (body: never) => void);
    this.listeners.set(name, list);
  }

  private receive(data: unknown): void {
    if (!isToWebviewMessage(data)) return;
    if (data.kind === 'response') {
      const pending = this.pending.get(data.id);
      if (!pending) return;
      this.pending.delete(data.id);
      if (data.problem !== undefined) pending.reject(new HostProblemError(data.problem));
      else pending.resolve(data.result);
      return;
    }
    for (const listener of this.listeners.get(data.name) ?? []) (listener as (body: unknown) => void)(data.body);
  }
}
