// The wall's colours and its time-box sound. The colours are a room setting the facilitator
// picks (room.settings wall_theme); the sound is this projector's own switch, off until
// someone at the projector turns it on (the sound comes from this machine's speakers).

export const WALL_THEMES = ['default', 'dark', 'contrast'];

export function wallTheme(state) {
  const theme = state?.room?.settings?.wall_theme;
  return WALL_THEMES.includes(theme) ? theme : 'default';
}

// Sets the theme on the page (screen.css keys its colours on html[data-wall-theme]).
export function applyWallTheme(theme) {
  const root = document.documentElement;
  if (root.dataset.wallTheme !== theme) root.dataset.wallTheme = theme;
}

// A short, soft two-note chime made with Web Audio when a running time box reaches zero.
export class WallSound {
  constructor() {
    this.on = false;
    this.ctx = null;
    this.wasOver = null; // unknown until the first reading: a box already over on load stays quiet
  }

  // Called from the click on the switch: browsers allow sound only after a person's gesture.
  toggle() {
    this.on = !this.on;
    if (this.on) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { this.on = false; return false; }
      this.ctx ??= new Ctx();
      this.ctx.resume?.();
    }
    return this.on;
  }

  // Each timer reading: chimes once when a running box goes over.
  observe(timer, mark) {
    const over = timer?.state === 'running' && mark === 'over';
    if (this.wasOver === false && over && this.on) this.chime();
    this.wasOver = over;
  }

  chime() {
    const ctx = this.ctx;
    if (!ctx) return;
    const start = ctx.currentTime + 0.02;
    [[660, 0], [880, 0.45]].forEach(([hz, at]) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0, start + at);
      gain.gain.linearRampToValueAtTime(0.25, start + at + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.001, start + at + 0.6);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + at);
      osc.stop(start + at + 0.65);
    });
  }
}
