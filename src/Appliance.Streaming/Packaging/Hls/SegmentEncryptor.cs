using System.Security.Cryptography;
using Appliance.Transport.Files;

namespace Appliance.Streaming.Packaging.Hls;

/// <summary>
/// Encrypts one stream's HLS segments as they are written (AES-128-CBC over the whole segment,
/// PKCS7 padding at its end), so the segment cache holds the encrypted bytes once, shared by every
/// viewer and sent with sendfile like clear ones. Whole 16-byte blocks go to the file as frames
/// arrive; the rest waits for the next frame or the segment's end. One per segmenter: its buffers
/// serve every frame, and only starting a segment allocates (its key schedule and CBC state).
/// </summary>
internal sealed class SegmentEncryptor : IDisposable
{
    private const int BlockBytes = 16;
    private const int ChunkBytes = 64 * 1024;

    private readonly HlsKeyring _keyring;
    private readonly string _stream;
    private readonly int _rotateEverySegments;
    private readonly Aes _aes = Aes.Create();
    private readonly byte[] _clear = new byte[ChunkBytes + BlockBytes];
    private readonly byte[] _encrypted = new byte[ChunkBytes + BlockBytes];
    private ICryptoTransform? _transform;
    private int _pending;

    /// <param name="stream">The stream as "{domain}/{app}/{name}".</param>
    public SegmentEncryptor(HlsKeyring keyring, string stream, int rotateEverySegments)
    {
        _keyring = keyring;
        _stream = stream;
        _rotateEverySegments = rotateEverySegments;
    }

    /// <summary>Starts segment <paramref name="sequence"/>: its key by its key index, its IV by its number.</summary>
    public void Begin(long sequence)
    {
        _transform?.Dispose();
        var key = new byte[HlsKeyring.KeyBytes];
        var iv = new byte[BlockBytes];
        _keyring.Derive(_stream, HlsKeyring.KeyIndexOf(sequence, _rotateEverySegments), key);
        HlsKeyring.IvOf(sequence, iv);
        // Finish pads the last block itself (PKCS7), so the transform only ever sees whole blocks.
        _aes.Padding = PaddingMode.None;
        _aes.Mode = CipherMode.CBC;
        _transform = _aes.CreateEncryptor(key, iv);
        CryptographicOperations.ZeroMemory(key);
        _pending = 0;
    }

    /// <summary>Encrypts what whole blocks <paramref name="clear"/> completes into <paramref name="file"/>.</summary>
    public void Append(ReadOnlySpan<byte> clear, MemoryFileWriter file)
    {
        var transform = _transform ?? throw new InvalidOperationException("no segment begun");
        while (!clear.IsEmpty)
        {
            var take = Math.Min(clear.Length, ChunkBytes - _pending);
            clear[..take].CopyTo(_clear.AsSpan(_pending));
            clear = clear[take..];
            var total = _pending + take;
            var whole = total & ~(BlockBytes - 1);
            if (whole > 0)
            {
                transform.TransformBlock(_clear, 0, whole, _encrypted, 0);
                file.Append(_encrypted.AsSpan(0, whole));
            }
            _pending = total - whole;
            _clear.AsSpan(whole, _pending).CopyTo(_clear);
        }
    }

    /// <summary>Ends the segment: the last partial block, PKCS7-padded (a whole block of padding if none).</summary>
    public void Finish(MemoryFileWriter file)
    {
        var transform = _transform ?? throw new InvalidOperationException("no segment begun");
        var padding = (byte)(BlockBytes - _pending);
        _clear.AsSpan(_pending, padding).Fill(padding);
        transform.TransformBlock(_clear, 0, BlockBytes, _encrypted, 0);
        file.Append(_encrypted.AsSpan(0, BlockBytes));
        transform.Dispose();
        _transform = null;
        _pending = 0;
    }

    public void Dispose()
    {
        _transform?.Dispose();
        _aes.Dispose();
    }
}
