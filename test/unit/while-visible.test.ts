// The Runs view's times ("5 minutes ago") are redrawn when it shows and each minute while it is visible; no timer
// runs while it is hidden or after dispose (mocha runs without --exit).
import assert from 'node:assert/strict';
import { redrawWhileVisible, type Timers } from '../../src/platform/while-visible.js';

class FakeView {
  visible = false;
  private listeners = new Set<(e: { visible: boolean }) => unknown>();
  onDidChangeVisibility(listener: (e: { visible: boolean }) => unknown) {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  show(visible: boolean): void {
    this.visible = visible;
    for (const listener of this.listeners) listener({ visible });
  }
  get subscribers(): number {
    return this.listeners.size;
  }
}

/** Intervals by handle: the test fires them itself, nothing waits for the clock. */
class FakeTimers implements Timers {
  readonly running = new Map<number, { callback: () => void; ms: number }>();
  private next = 1;
  setInterval(callback: () => void, ms: number): number {
    this.running.set(this.next, { callback, ms });
    return this.next++;
  }
  clearInterval(handle: unknown): void {
    this.running.delete(handle as number);
  }
  tick(): void {
    for (const { callback } of [...this.running.values()]) callback();
  }
}

describe('redraw while visible', () => {
  it('redraws when the view shows and each interval while it is visible, not while it is hidden', () => {
    const view = new FakeView();
    const timers = new FakeTimers();
    let redraws = 0;
    const watch = redrawWhileVisible(view, () => redraws++, 60_000, timers);
    assert.equal(timers.running.size, 0, 'hidden: no timer');
    view.show(true);
    assert.equal(redraws, 1, 'redrawn on showing');
    assert.deepEqual([...timers.running.values()].map((t) => t.ms), [60_000]);
    timers.tick();
    timers.tick();
    assert.equal(redraws, 3);
    view.show(false);
    assert.equal(timers.running.size, 0, 'hidden again: the timer stopped');
    timers.tick();
    assert.equal(redraws, 3);
    view.show(true);
    assert.equal(timers.running.size, 1, 'one timer, not one per showing');
    watch.dispose();
    assert.equal(timers.running.size, 0, 'disposed: no timer left');
    assert.equal(view.subscribers, 0);
  });

  it('starts counting at once for a view visible from the start', () => {
    const view = new FakeView();
    view.visible = true;
    const timers = new FakeTimers();
    const watch = redrawWhileVisible(view, () => {}, 60_000, timers);
    assert.equal(timers.running.size, 1);
    watch.dispose();
    assert.equal(timers.running.size, 0);
  });
});
