namespace Appliance.Load.Cli;

/// <summary>What `appliance-load --help` prints.</summary>
internal static class LoadUsage
{
    public const string Text = """
        Usage: appliance-load --url URL [--url URL ...] [--viewers N] [--duration SECONDS]
                              [--ramp PER_SECOND] [--timeout SECONDS] [--json] [--json-file FILE]
                              [--progress] [--viewers-csv FILE] [--allow-remote] [--ca FILE]
                              [--churn PER_SECOND [--seed N]] [--source-addresses LIST]
               appliance-load --publish RTMP_URL --source FILE.flv [--publish-start SECONDS]
                              [--viewers-after SECONDS] [--url URL ...] [viewer options]
               appliance-load --hostile N --url URL [--url URL ...] [--hostile-concurrency C]
                              [--hostile-wait SECONDS] [--seed N] [--duration SECONDS]
                              [--json] [--json-file FILE] [--progress]

        Opens N viewers of live streams, reads them for the duration, and reports what they got.
        With --hostile, opens hostile connections instead (no viewers) and reports whether the
        server closed every one of them.

          --url URL           the stream, by kind of viewer; repeat for several streams
                              (viewers are split evenly, round robin):
                                rtmp://host:port/app/stream        RTMP player
                                http://host:port/app/stream.flv    HTTP-FLV player
                                http://host:port/app/stream.ts     HTTP-TS player
                                http://host:port/app/stream.m3u8   HLS player (media playlist)
                                http://host:port/app/stream/llhls.m3u8
                                                                   LL-HLS player (hls.js in low-latency
                                                                   mode; also a *-ll.m3u8 media playlist)
                                http://host:port/app/stream.mpd    DASH player (?ll=1: LL-DASH)
                              rtmps:// and https:// are the same over TLS (TLS 1.2/1.3; the
                              certificate must chain to --ca or the system store and name the host)
          --viewers N         viewers in total (default 1)
          --duration SECONDS  length of the run, ramp included (default 30)
          --ramp PER_SECOND   viewers started per second (default 200)
          --timeout SECONDS   HLS, LL-HLS, DASH: longest wait for one whole response (playlist,
                              MPD, part, segment; a held one included), the first one included
                              (default 10)
          --json              the report as JSON, for scripts
          --json-file FILE    also write the JSON report to FILE (text stays on stdout)
          --viewers-csv FILE  write one line per viewer to FILE
          --progress          a progress line on stderr every 5 s
          --allow-remote      allow hosts that are not loopback (127.0.0.0/8, ::1, localhost)
          --churn PER_SECOND  once the ramp is done, each second stop this many playing viewers
                              (chosen at random; they count as finished, and as churned) and
                              start as many new ones, until the run ends; at most --viewers
          --seed N            churn: seed of the random choice (default 1)
          --source-addresses LIST
                              connect from these local IPv4 addresses in turn: a comma-separated
                              list of addresses and ranges, e.g. 127.0.0.2-127.0.0.9 (IPv4 targets
                              only). Each source address has its own ~28,000 ephemeral ports per
                              server port; use it for tens of thousands of viewers, run after run
          --ca FILE           rtmps:// and https://: trust the CA certificates of this PEM file
                              instead of the system store (there is no option to skip the check)

        Stamped publisher (glass-to-glass latency):
          --publish URL       publish to rtmp://host:port/app/stream (or rtmps://): the H.264 or H.265 FLV file
                              --source, in real time by its timestamps, looped with timestamps that
                              keep increasing; every video frame carries the wall-clock time it was
                              sent in an SEI (user data unregistered, UUID
                              a95e7c41-d23b-4f86-9e1c-62b7f058e32d, 64-bit big-endian Unix
                              microseconds). The viewers of --url (if any) read the stamps back
                              and report glass-to-glass latency; without --url it only publishes,
                              for --duration
          --source FILE       the FLV file (as ffmpeg -f flv writes it; script tags are dropped)
          --publish-start SECONDS
                              timestamp of the first frame on the wire (default 0; an aged stream
                              starts later, 4294967 s is past RTMP's 32-bit wrap)
          --viewers-after SECONDS
                              the first viewer starts this long after the server accepted the
                              publisher (default 0; HLS needs a segment or three); --duration
                              counts from there, and publishing goes on until the viewers are done
          --stamps            the viewers read latency stamps of a stream another publisher
                              stamps (implied by --publish)

        Hostile mode (loopback only; --viewers, --ramp, --timeout, --viewers-csv and
        --allow-remote do not apply):
          --hostile N         N hostile connections, the kinds dealt round robin: to the
                              server of each rtmp:// URL random bytes, half a handshake (C0
                              and part of C1, then silence), a handshake then a chunk size of
                              2^31-1 and a 16 MiB message header; to the server of each http://
                              URL a head of 100 headers of 400 bytes, and slowloris (a header
                              line every 500 ms for 5 s, never the end of the head)
          --hostile-concurrency C
                              at most C open at once (default 100)
          --hostile-wait SECONDS
                              a connection the server has not closed this long after its
                              connect is left open: the tool closes it and counts it (default 30)
          --seed N            seed of the random bytes and sizes (default 1)
          --duration SECONDS  no connection starts after this (default 30)

        Exit status: 0 every viewer played to the end (hostile: the server closed every
        connection), 1 some failed or dropped, or the publisher failed (hostile: some were
        left open, failed to connect or never started), 2 bad options, 3 the run overran its
        hard cap (duration + 30 s; hostile: duration + wait + 30 s).
        """;
}
