import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { confirmUrl, onWindowRemoved, openConfirmWindow } from './confirm-window';
import { addPendingRequest, getPendingRequest } from './payment-requests';
import { confirmWindowItem } from '../../utils/storage';

describe('confirm window', () => {
  beforeEach(() => fakeBrowser.reset());

  it('should open a popup window on confirm.html for the request', async () => {
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const id = await openConfirmWindow('req-1');
    expect(create).toHaveBeenCalledWith({
      url: 'chrome-extension://test-extension-id/confirm.html?request=req-1',
      type: 'popup',
      width: 420,
      height: 640,
    });
    expect(await confirmWindowItem.getValue()).toEqual({ windowId: id, requestId: 'req-1' });
  });

  it('should reuse and focus the open window, navigating it to the new request', async () => {
    const id = await openConfirmWindow('req-1');
    const tab = await fakeBrowser.tabs.create({ windowId: id, url: confirmUrl('req-1') });
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const update = vi.spyOn(fakeBrowser.windows, 'update');
    expect(await openConfirmWindow('req-2')).toBe(id);
    expect(create).not.toHaveBeenCalled();
    expect(update).toHaveBeenCalledWith(id, { focused: true, drawAttention: true });
    expect((await fakeBrowser.tabs.get(tab.id!))?.url).toBe(confirmUrl('req-2'));
  });

  it('should open a new window when the remembered one is gone', async () => {
    const first = await openConfirmWindow('req-1');
    await fakeBrowser.windows.remove(first); // no listener wired here: the state is stale
    const second = await openConfirmWindow('req-2');
    expect(second).not.toBe(first);
  });

  it('should cancel the request when its window is closed, and ignore other windows', async () => {
    const { request } = await addPendingRequest({ recipientHandle: 'alice', source: 'profile' }, 1);
    const id = await openConfirmWindow(request.id);
    await onWindowRemoved(id + 100);
    expect(await getPendingRequest(request.id)).not.toBeNull();
    await onWindowRemoved(id);
    expect(await getPendingRequest(request.id)).toBeNull();
    expect(await confirmWindowItem.getValue()).toBeNull();
  });
});
