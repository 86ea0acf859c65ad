// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useArming } from './use-arming';

function Probe() {
  const armed = useArming(1000);
  return <span id="probe">{String(armed)}</span>;
}

const text = () => document.getElementById('probe')!.textContent;

describe('useArming', () => {
  let focused = true;
  beforeEach(() => {
    vi.useFakeTimers();
    focused = true;
    vi.spyOn(document, 'hasFocus').mockImplementation(() => focused);
  });
  afterEach(() => {
    render(null, document.body);
    vi.useRealTimers();
  });

  it('should arm only after the window has had focus for the delay', () => {
    act(() => render(<Probe />, document.body));
    expect(text()).toBe('false');
    act(() => void vi.advanceTimersByTime(999));
    expect(text()).toBe('false');
    act(() => void vi.advanceTimersByTime(1));
    expect(text()).toBe('true');
  });

  it('should stay disarmed while the window has no focus, and restart the delay on refocus', () => {
    focused = false;
    act(() => render(<Probe />, document.body));
    act(() => void vi.advanceTimersByTime(5000));
    expect(text()).toBe('false');
    act(() => void window.dispatchEvent(new Event('focus')));
    act(() => void vi.advanceTimersByTime(1000));
    expect(text()).toBe('true');
    act(() => void window.dispatchEvent(new Event('blur')));
    expect(text()).toBe('false');
    act(() => void window.dispatchEvent(new Event('focus')));
    act(() => void vi.advanceTimersByTime(500));
    expect(text()).toBe('false');
    act(() => void vi.advanceTimersByTime(500));
    expect(text()).toBe('true');
  });
});
