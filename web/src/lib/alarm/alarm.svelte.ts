/**
 * The command map's alarm as it runs in the browser: plays the most urgent sound (alarm.ts) on a
 * looping `<audio>` until what sounds is acted on, muted or silenced; says when the browser
 * refused to play before the user touched the page; and, while the tab is in the background,
 * shows a browser notification for each new item (permission asked once). Mute and a leader's
 * "escalations" choice are kept per browser.
 */
import { alarmSound, newItems, type AlarmItem, type AlarmPrefs, type AlarmSound } from './alarm';
import { toneWav } from './tones';

const MUTED_KEY = 'lianfang.alarm.muted';
const LEADER_KEY = 'lianfang.alarm.leaderEscalations';
const ASKED_KEY = 'lianfang.alarm.notificationsAsked';

function stored(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function store(key: string, on: boolean): void {
  try {
    localStorage.setItem(key, on ? '1' : '0');
  } catch {
    // Private mode: kept for this page only.
  }
}

export class Alarm {
  muted = $state(stored(MUTED_KEY));
  leaderEscalations = $state(stored(LEADER_KEY));
  /** Items this screen chose to stop hearing (they stay on the panel). */
  silenced = $state.raw<ReadonlySet<string>>(new Set());
  /** The sound that should be heard now (null: quiet). */
  sound = $state<AlarmSound | null>(null);
  /** The browser refused to play (no touch on the page yet): a click starts it. */
  blocked = $state(false);

  #audio: HTMLAudioElement | null = null;
  #urls = new Map<AlarmSound, string>();
  #known: ReadonlySet<string> | null = null;
  #items: readonly AlarmItem[] = [];

  get prefs(): AlarmPrefs {
    return { leaderEscalations: this.leaderEscalations };
  }

  attach(audio: HTMLAudioElement): () => void {
    this.#audio = audio;
    this.#apply();
    return () => {
      audio.pause();
      this.#audio = null;
      for (const url of this.#urls.values()) URL.revokeObjectURL(url);
      this.#urls.clear();
    };
  }

  /**
   * What should sound now; `describe` words a notification for a new item while the tab is hidden.
   * The first call only learns what is already open: a reload notifies about nothing.
   */
  update(items: readonly AlarmItem[], describe: (item: AlarmItem) => { title: string; body: string }): void {
    this.#items = items;
    const keys = new Set(items.map((i) => i.key));
    if (this.#known && typeof document !== 'undefined' && document.hidden) {
      for (const item of newItems(items, this.#known)) this.#notify(item, describe(item));
    }
    this.#known = keys;
    // Forget silenced items once they are gone, so the set does not grow all night.
    if ([...this.silenced].some((k) => !keys.has(k))) this.silenced = new Set([...this.silenced].filter((k) => keys.has(k)));
    this.sound = this.muted ? null : alarmSound(items, this.silenced);
    this.#apply();
  }

  toggleMute(): void {
    this.muted = !this.muted;
    store(MUTED_KEY, this.muted);
    this.sound = this.muted ? null : alarmSound(this.#items, this.silenced);
    this.#apply();
  }

  setLeaderEscalations(on: boolean): void {
    this.leaderEscalations = on;
    store(LEADER_KEY, on);
  }

  /** 知道了: stop hearing what sounds now; anything new sounds again. */
  silenceCurrent(): void {
    this.silenced = new Set([...this.silenced, ...this.#items.map((i) => i.key)]);
    this.sound = null;
    this.#apply();
  }

  /** After a click: play what was refused, and ask for notifications the first time. */
  userGesture(): void {
    if (this.blocked) this.#apply(true);
    if (typeof Notification !== 'undefined' && Notification.permission === 'default' && !stored(ASKED_KEY)) {
      store(ASKED_KEY, true);
      void Notification.requestPermission().catch(() => undefined);
    }
  }

  #url(sound: AlarmSound): string {
    let url = this.#urls.get(sound);
    if (!url) {
      url = URL.createObjectURL(new Blob([toneWav(sound) as BlobPart], { type: 'audio/wav' }));
      this.#urls.set(sound, url);
    }
    return url;
  }

  #apply(retry = false): void {
    const audio = this.#audio;
    if (!audio) return;
    const sound = this.sound;
    if (!sound) {
      audio.pause();
      audio.removeAttribute('data-sound');
      this.blocked = false;
      return;
    }
    if (audio.dataset.sound === sound && !audio.paused && !retry) return;
    if (audio.dataset.sound !== sound) {
      audio.src = this.#url(sound);
      audio.dataset.sound = sound;
    }
    audio.loop = true;
    audio.play().then(
      () => (this.blocked = false),
      (error: DOMException) => {
        if (error?.name === 'NotAllowedError') this.blocked = true;
      },
    );
  }

  #notify(item: AlarmItem, words: { title: string; body: string }): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    try {
      const notification = new Notification(words.title, { body: words.body, tag: item.key, requireInteraction: item.sound === 'sos' });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    } catch {
      // Some browsers allow notifications only from a service worker: the sound still plays.
    }
  }
}
