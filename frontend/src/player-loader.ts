/** The player (mpegts.js is most of the bundle) loads when the first preview opens, not with the dashboard. */
import type { PlayerHandle, PlayOptions } from './player';

export type { PlayerHandle, PlayOptions };

let loading: Promise<typeof import('./player')> | null = null;

export async function loadPlayer(): Promise<(url: string, options: PlayOptions) => PlayerHandle> {
  loading ??= import('./player');
  return (await loading).flvPlayer;
}
