using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// CRC-32/MPEG-2 (polynomial 0x04C11DB7, initial value 0xFFFFFFFF, not reflected, no final XOR):
/// the CRC_32 that ends every PSI section (ISO/IEC 13818-1, annex A). Running it over a section
/// including its CRC yields 0, which is how a reader checks one.
/// </summary>
public static class Crc32Mpeg2
{
    public const uint Polynomial = 0x04C11DB7;
    public const uint InitialValue = 0xFFFFFFFF;

    // Slice-by-8: table k holds the CRC contribution of a byte followed by k zero bytes, so eight
    // input bytes fold in with eight independent lookups instead of a chain of eight dependent ones.
    private static readonly uint[] Tables = BuildTables();

    public static uint Compute(ReadOnlySpan<byte> data) => Update(InitialValue, data);

    /// <summary>Continues a CRC over more data (slice-by-8).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        ref var tables = ref MemoryMarshal.GetArrayDataReference(Tables);
        while (data.Length >= 8)
        {
            var high = BinaryPrimitives.ReadUInt32BigEndian(data) ^ crc;
            var low = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
            crc = Lookup(ref tables, 7, high >> 24) ^ Lookup(ref tables, 6, (high >> 16) & 0xFF)
                ^ Lookup(ref tables, 5, (high >> 8) & 0xFF) ^ Lookup(ref tables, 4, high & 0xFF)
                ^ Lookup(ref tables, 3, low >> 24) ^ Lookup(ref tables, 2, (low >> 16) & 0xFF)
                ^ Lookup(ref tables, 1, (low >> 8) & 0xFF) ^ Lookup(ref tables, 0, low & 0xFF);
            data = data[8..];
        }
        foreach (var b in data)
        {
            crc = (crc << 8) ^ Lookup(ref tables, 0, (crc >> 24) ^ b);
        }
        return crc;
    }

    // Indices are a byte plus a table offset, always inside the 8 x 256 array.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Lookup(ref uint tables, int table, uint index) => Unsafe.Add(ref tables, (table * 256) + (int)index);

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (uint)i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ Polynomial : crc << 1;
            }
            tables[i] = crc;
        }
        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = tables[((k - 1) * 256) + i];
                tables[(k * 256) + i] = (previous << 8) ^ tables[previous >> 24];
            }
        }
        return tables;
    }
}
