import { useEffect, useState } from 'preact/hooks';

/**
 * Clickjacking defence for the confirm window: true only once the window has had focus for `delayMs` without
 * interruption. Losing focus (or being hidden) disarms; regaining focus starts the delay again.
 */
export function useArming(delayMs: number, win: Window = window): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disarm = () => {
      clearTimeout(timer);
      timer = undefined;
      setArmed(false);
    };
    const arm = () => {
      disarm();
      timer = setTimeout(() => setArmed(true), delayMs);
    };
    const onVisibility = () => {
      if (win.document.visibilityState === 'hidden') disarm();
      else if (win.document.hasFocus()) arm();
    };
    if (win.document.hasFocus() && win.document.visibilityState !== 'hidden') arm();
    win.addEventListener('focus', arm);
    win.addEventListener('blur', disarm);
    win.document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      win.removeEventListener('focus', arm);
      win.removeEventListener('blur', disarm);
      win.document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [delayMs, win]);
  return armed;
}
