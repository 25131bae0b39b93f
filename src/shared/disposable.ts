/**
 * Ownership of resources, as VS Code's media-preview extension keeps it: a class that holds
 * subscriptions, listeners, observers or panels registers each one as it takes it, and disposing
 * the owner disposes them all, once, the last taken first. The extension's editors and documents
 * and the webview's panels share this base; `vscode.Disposable` fits `DisposableLike` as it is.
 * Neither Node nor the DOM: it is compiled for both sides.
 */
export interface DisposableLike {
  dispose(): unknown;
}

export function toDisposable(dispose: () => void): DisposableLike {
  return { dispose };
}

export abstract class Disposable implements DisposableLike {
  private disposed = false;
  private readonly owned: DisposableLike[] = [];

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes `value` into this owner's keeping; taken after the owner is disposed, it is disposed at once. */
  protected register<T extends DisposableLike>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  /** Disposes everything registered; a second call does nothing. One that throws does not keep the rest from being disposed. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (let value = this.owned.pop(); value; value = this.owned.pop()) {
      try {
        value.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} resources failed to dispose`);
  }
}
