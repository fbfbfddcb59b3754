// Walks the boxes of a live fMP4 HLS stream with mp4box.js, an independent ISO BMFF parser: follows
// the multivariant playlist's video and audio media playlists as a player does until each has
// given --seconds of segments, reads every init and media segment, and checks that each fragment's
// tfdt is where the one before ended, each segment starts with a sync sample, its samples add up to
// its EXTINF, and its trun sizes to its mdat. Prints one JSON line: per track the codec, timescale
// and every segment's figures (for the caller to hold against the source), and the problems found.
//   node walk-fmp4.mjs --url http://127.0.0.1:8080/live/cam/cmaf.m3u8 --seconds 30 [--timeout 90]
import { createFile } from 'mp4box';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const url = args.url;
const seconds = Number(args.seconds ?? 30);
const deadline = Date.now() + Number(args.timeout ?? 90) * 1000;
const NonSync = 0x10000;

async function get(target, binary) {
  const response = await fetch(target, { signal: AbortSignal.timeout(15000) });
  if (response.status !== 200) {
    throw new Error(`GET ${target}: ${response.status}`);
  }
  return binary ? response.arrayBuffer() : response.text();
}

function parse(buffer) {
  buffer.fileStart = 0;
  const file = createFile();
  file.appendBuffer(buffer);
  file.flush();
  return file.boxes;
}

function attribute(line, name) {
  return new RegExp(`${name}="?([^",]+)"?`).exec(line)?.[1];
}

// The media playlists a multivariant playlist names: its audio rendition and its first variant.
async function mediaPlaylists() {
  const lines = (await get(url)).split('\n');
  const audio = lines.find(l => l.startsWith('#EXT-X-MEDIA:TYPE=AUDIO'));
  const variant = lines[lines.findIndex(l => l.startsWith('#EXT-X-STREAM-INF')) + 1];
  return { video: new URL(variant, url).href, ...(audio ? { audio: new URL(attribute(audio, 'URI'), url).href } : {}) };
}

function readInit(boxes) {
  const moov = boxes.find(b => b.type === 'moov');
  const trak = moov.traks[0];
  const trex = moov.mvex?.trexs?.find(t => t.track_id === trak.tkhd.track_id);
  return {
    trackId: trak.tkhd.track_id,
    timescale: trak.mdia.mdhd.timescale,
    codec: trak.mdia.minf.stbl.stsd.entries[0].type,
    defaultFlags: trex?.default_sample_flags ?? 0,
  };
}

// One media segment: its fragments in order, checked against each other and the track.
function readSegment(track, segment, boxes, problems) {
  const moofs = boxes.filter(b => b.type === 'moof');
  const mdats = boxes.filter(b => b.type === 'mdat');
  if (moofs.length === 0 || moofs.length !== mdats.length) {
    problems.push(`${segment.uri}: ${moofs.length} moof and ${mdats.length} mdat boxes`);
    return;
  }
  moofs.forEach((moof, i) => {
    const traf = moof.trafs[0];
    const trun = traf.truns[0];
    if (traf.tfhd.track_id !== track.trackId) {
      problems.push(`${segment.uri}: fragment ${i} is track ${traf.tfhd.track_id}, the init's is ${track.trackId}`);
    }
    const tfdt = Number(traf.tfdt.baseMediaDecodeTime);
    if (track.end !== null && tfdt !== track.end) {
      problems.push(`${segment.uri}: fragment ${i} has tfdt ${tfdt}, the fragment before ended at ${track.end}`);
    }
    const defaultFlags = traf.tfhd.flags & 0x20 ? traf.tfhd.default_sample_flags : track.defaultFlags;
    let bytes = 0;
    let fragmentDuration = 0;
    for (let s = 0; s < trun.sample_count; s++) {
      const duration = trun.sample_duration?.[s] ?? traf.tfhd.default_sample_duration;
      const flags = trun.sample_flags?.[s] ?? (s === 0 && trun.flags & 0x4 ? trun.first_sample_flags : defaultFlags);
      const sync = (flags & NonSync) === 0;
      if (segment.samples === 0 && !sync) {
        problems.push(`${segment.uri}: its first sample is not a sync sample`);
      }
      segment.samples++;
      segment.syncSamples += sync ? 1 : 0;
      segment.duration += duration;
      fragmentDuration += duration;
      track.durations[duration] = (track.durations[duration] ?? 0) + 1;
      bytes += trun.sample_size?.[s] ?? traf.tfhd.default_sample_size;
    }
    if (bytes !== mdats[i].size - mdats[i].hdr_size) {
      problems.push(`${segment.uri}: fragment ${i}'s samples are ${bytes} bytes, its mdat holds ${mdats[i].size - mdats[i].hdr_size}`);
    }
    segment.fragments++;
    segment.tfdt ??= tfdt;
    track.end = tfdt + fragmentDuration;
  });
  const extinfTicks = Math.round(segment.extinf * track.timescale);
  if (Math.abs(segment.duration - extinfTicks) > track.timescale / 1000) {
    problems.push(`${segment.uri}: its samples last ${segment.duration} ticks, its EXTINF ${segment.extinf} s is ${extinfTicks}`);
  }
}

// Reads one track's playlist as it grows until it has given `seconds` of consecutive segments.
async function follow(name, playlistUrl) {
  const track = { name, segments: [], problems: [], durations: {}, end: null, inits: {} };
  let listed = 0;
  while (listed < seconds && Date.now() < deadline) {
    const lines = (await get(playlistUrl)).split('\n');
    let sequence = Number(lines.find(l => l.startsWith('#EXT-X-MEDIA-SEQUENCE:')).slice('#EXT-X-MEDIA-SEQUENCE:'.length));
    let map = null;
    let extinf = null;
    for (const line of lines) {
      if (line.startsWith('#EXT-X-MAP:')) {
        map = attribute(line, 'URI');
      } else if (line.startsWith('#EXTINF:')) {
        extinf = Number(line.slice(8).split(',')[0]);
      } else if (line.endsWith('.m4s')) {
        const number = sequence++;
        const last = track.segments.at(-1)?.number;
        if (last !== undefined && number <= last) {
          continue;
        }
        if (last !== undefined && number !== last + 1) {
          track.problems.push(`segments ${last + 1} to ${number - 1} left the playlist before they were read`);
        }
        if (!(map in track.inits)) {
          track.inits[map] = readInit(parse(await get(new URL(map, playlistUrl).href, true)));
          Object.assign(track, track.inits[map]);
        }
        const segment = { uri: line, number, extinf, tfdt: null, fragments: 0, samples: 0, syncSamples: 0, duration: 0 };
        readSegment(track, segment, parse(await get(new URL(line, playlistUrl).href, true)), track.problems);
        track.segments.push(segment);
        listed += extinf;
        if (listed >= seconds) {
          break;
        }
      }
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  if (listed < seconds) {
    track.problems.push(`only ${listed} s of segments before the timeout`);
  }
  const { end, defaultFlags, inits, ...report } = track;
  return { ...report, inits: Object.keys(inits) };
}

try {
  const playlists = await mediaPlaylists();
  const names = Object.keys(playlists);
  const tracks = await Promise.all(names.map(name => follow(name, playlists[name])));
  const report = Object.fromEntries(tracks.map(t => [t.name, t]));
  console.log(JSON.stringify({ ok: tracks.every(t => t.problems.length === 0), tracks: report }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error?.stack ?? error) }));
  process.exitCode = 1;
}
