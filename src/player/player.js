// The node's player page (/{app}/{stream}.html): plays one output of the stream with hls.js,
// dash.js or mpegts.js, all served by the node under /player/, and shows what an operator checks
// first: protocol, latency, bitrate, resolution, stalls. The page holds its outputs as JSON
// (#player-config); the hash (#flv, #cmaf, ...) picks one, so a link can open a given output.
// window.appliancePlayer.stats() returns the figures shown, for scripts (the browser tests).
'use strict';
(() => {
  const config = JSON.parse(document.getElementById('player-config').textContent);
  const video = document.getElementById('video');
  const chooser = document.getElementById('output');
  const direct = document.getElementById('direct');
  const errorList = document.getElementById('errors');
  // Bitrate is the bytes loaded over the last 10 s: five segments of the default 2 s, so one
  // more or less changes it by a fifth.
  const rateWindowMs = 10000;
  let session = null;

  const show = (name, text) => {
    document.getElementById(`stat-${name}`).textContent = text;
  };

  const loaded = { hls: () => window.Hls, dash: () => window.dashjs, mpegts: () => window.mpegts };

  // Each library is loaded from the node when its first output is chosen.
  const loadLibrary = (player) => new Promise((resolve, reject) => {
    if (loaded[player]()) {
      resolve();
      return;
    }
    const script = document.createElement('script');
    script.src = config.scripts[player];
    script.onload = () => (loaded[player]() ? resolve() : reject(new Error(`${script.src} defined no player`)));
    script.onerror = () => reject(new Error(`cannot load ${script.src}`));
    document.head.appendChild(script);
  });

  const report = (s, text) => {
    if (s !== session) {
      return;
    }
    s.errors.push(text);
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
    errorList.appendChild(item);
    while (errorList.children.length > 20) {
      errorList.removeChild(errorList.firstChild);
    }
  };

  // hls.js and dash.js: the browser's own count of each media response's bytes (Resource
  // Timing), taken when the response ends (dash.js's own count of a low-latency segment read
  // as it is made came out at twice its size). mpegts.js's one response never ends: it counts itself.
  const mediaPath = /\.(m4s|mp4|ts)$/;
  new PerformanceObserver((list) => {
    const s = session;
    if (!s || s.output.player === 'mpegts') {
      return;
    }
    for (const entry of list.getEntries()) {
      if ((entry.initiatorType === 'fetch' || entry.initiatorType === 'xmlhttprequest') && entry.startTime >= s.startedAt &&
          mediaPath.test(new URL(entry.name).pathname) && entry.encodedBodySize > 0) {
        s.samples.push({ at: performance.now(), bytes: entry.encodedBodySize });
      }
    }
  }).observe({ type: 'resource' });
  // Observers see every entry; the page's own list is only kept from overflowing.
  performance.addEventListener('resourcetimingbufferfull', () => performance.clearResourceTimings());

  const bitrateKbps = (s) => {
    if (s.kbps !== null) {
      return s.kbps;
    }
    const now = performance.now();
    s.samples = s.samples.filter((x) => now - x.at <= rateWindowMs);
    if (s.samples.length === 0 || s.playingAt === null) {
      return null;
    }
    // A window no longer than playback so far, so the start-up burst reads as what it is.
    const span = Math.max(1000, Math.min(rateWindowMs, now - s.startedAt));
    return (s.samples.reduce((sum, x) => sum + x.bytes, 0) * 8) / span;
  };

  const latencySeconds = (s) => {
    try {
      let value = null;
      if (s.output.player === 'hls') {
        value = s.instance?.latency;
      } else if (s.output.player === 'dash') {
        value = s.instance?.getCurrentLiveLatency();
      } else if (video.buffered.length > 0) {
        // mpegts.js knows no live edge: what it holds beyond the playhead is how far behind it plays.
        value = video.buffered.end(video.buffered.length - 1) - video.currentTime;
      }
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
    } catch (e) {
      return null;
    }
  };

  const stats = () => {
    const s = session;
    if (!s) {
      return null;
    }
    return {
      output: s.output.id,
      protocol: s.output.label,
      url: s.url,
      state: s.state,
      latency: latencySeconds(s),
      bitrateKbps: bitrateKbps(s),
      width: video.videoWidth,
      height: video.videoHeight,
      stalls: s.stalls,
      stallsAt: s.stallsAt.slice(),
      currentTime: video.currentTime,
      errors: s.errors.slice(),
    };
  };

  const render = () => {
    const now = stats();
    if (!now) {
      return;
    }
    show('protocol', now.protocol);
    show('state', now.state);
    show('latency', now.latency === null ? '-' : `${now.latency.toFixed(2)} s${session.output.player === 'mpegts' ? ' (buffered ahead)' : ''}`);
    show('bitrate', now.bitrateKbps === null ? '-' : now.bitrateKbps >= 1000 ? `${(now.bitrateKbps / 1000).toFixed(2)} Mbit/s` : `${Math.round(now.bitrateKbps)} kbit/s`);
    show('resolution', now.width > 0 ? `${now.width}x${now.height}` : '-');
    show('stalls', String(now.stalls));
    show('time', now.currentTime.toFixed(1));
  };

  const stop = () => {
    const s = session;
    session = null;
    if (s?.instance) {
      try {
        s.instance.destroy();
      } catch (e) {
        // A player that fails to tear down is dropped all the same.
      }
    }
    video.removeAttribute('src');
    video.load();
  };

  const attachHls = (s) => {
    if (!Hls.isSupported()) {
      throw new Error('hls.js: this browser has no Media Source Extensions');
    }
    const hls = new Hls({ lowLatencyMode: !!s.output.lowLatency });
    s.instance = hls;
    hls.on(Hls.Events.ERROR, (_event, data) => {
      const status = data.response?.code ? ` (HTTP ${data.response.code})` : '';
      report(s, `hls.js ${data.fatal ? 'fatal ' : ''}${data.type}: ${data.details}${status}`);
      if (data.fatal) {
        s.state = 'failed';
      }
    });
    hls.loadSource(s.url);
    hls.attachMedia(video);
  };

  const attachDash = (s) => {
    const p = dashjs.MediaPlayer().create();
    s.instance = p;
    p.updateSettings({ debug: { logLevel: dashjs.Debug.LOG_LEVEL_WARNING } });
    p.on(dashjs.MediaPlayer.events.ERROR, (e) => {
      report(s, `dash.js error ${e?.error?.code ?? ''}: ${e?.error?.message ?? 'unknown'}`);
    });
    // dash.js starts playback itself: a play() of ours first would keep it from ever
    // refreshing a dynamic MPD.
    p.initialize(video, s.url, true);
  };

  const attachMpegts = (s) => {
    if (!mpegts.getFeatureList().mseLivePlayback) {
      throw new Error('mpegts.js: this browser cannot play live streams through Media Source Extensions');
    }
    mpegts.LoggingControl.enableVerbose = false;
    const p = mpegts.createPlayer({ type: s.output.type, isLive: true, url: s.url }, { enableWorker: false, enableWorkerForMSE: false });
    s.instance = p;
    p.on(mpegts.Events.STATISTICS_INFO, (info) => {
      // mpegts.js measures its own download: KiB received over the last second.
      if (s === session && typeof info.speed === 'number') {
        s.kbps = (info.speed * 1024 * 8) / 1000;
      }
    });
    p.on(mpegts.Events.ERROR, (type, details, info) => {
      report(s, `mpegts.js ${type}: ${details}${info?.code ? ` (HTTP ${info.code})` : ''}${info?.msg ? ` ${info.msg}` : ''}`);
      s.state = 'failed';
    });
    p.attachMediaElement(video);
    p.load();
  };

  const start = async (output) => {
    stop();
    const s = {
      output,
      url: new URL(output.url, location.href).href,
      instance: null,
      state: 'loading',
      startedAt: performance.now(),
      playingAt: null,
      // The playhead at the first 'playing'.
      startTime: null,
      stalls: 0,
      stallsAt: [],
      samples: [],
      kbps: null,
      errors: [],
    };
    session = s;
    chooser.value = output.id;
    direct.href = s.url;
    direct.textContent = s.url;
    errorList.replaceChildren();
    render();
    try {
      await loadLibrary(output.player);
      if (s !== session) {
        return;
      }
      if (output.player === 'hls') {
        attachHls(s);
      } else if (output.player === 'dash') {
        attachDash(s);
      } else {
        attachMpegts(s);
      }
      if (output.player !== 'dash') {
        // Refused when the player gives up or is replaced; that shows as its own error.
        video.play()?.catch(() => {});
      }
    } catch (e) {
      s.state = 'failed';
      report(s, String(e?.message ?? e));
    }
  };

  video.addEventListener('playing', () => {
    if (session) {
      session.state = 'playing';
      if (session.playingAt === null) {
        session.playingAt = performance.now();
        session.startTime = video.currentTime;
      }
    }
  });
  video.addEventListener('waiting', () => {
    if (!session || session.playingAt === null) {
      return;
    }
    session.state = 'waiting';
    // A wait before the picture has moved is the start, not a stall: a loaded browser can say
    // 'waiting' just after 'playing', with the playhead still where it began.
    if (video.currentTime > session.startTime) {
      session.stalls++;
      // Where the playhead stood against what was buffered: tells a start-up gap from a starved buffer.
      const ranges = [];
      for (let i = 0; i < video.buffered.length; i++) {
        ranges.push([video.buffered.start(i), video.buffered.end(i)]);
      }
      if (session.stallsAt.length < 10) {
        session.stallsAt.push({ afterMs: Math.round(performance.now() - session.playingAt), currentTime: video.currentTime, buffered: ranges });
      }
    }
  });
  video.addEventListener('error', () => {
    if (session) {
      report(session, `video element: ${video.error?.message || `error ${video.error?.code ?? ''}`}`);
    }
  });

  for (const output of config.outputs) {
    const option = document.createElement('option');
    option.value = output.id;
    option.textContent = output.label;
    chooser.appendChild(option);
  }
  const byId = (id) => config.outputs.find((o) => o.id === id);
  chooser.addEventListener('change', () => {
    location.hash = chooser.value;
  });
  window.addEventListener('hashchange', () => {
    const output = byId(location.hash.slice(1));
    if (output && output.id !== session?.output.id) {
      start(output);
    }
  });
  setInterval(render, 500);
  window.appliancePlayer = { stats };
  start(byId(location.hash.slice(1)) ?? config.outputs[0]);
})();
