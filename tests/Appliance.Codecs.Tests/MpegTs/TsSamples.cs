namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>Byte vectors shared by the MPEG-TS tests.</summary>
internal static class TsSamples
{
    /// <summary>
    /// A real 2,444-byte TS from ffmpeg 5.1 (`-f lavfi color=black:size=32x32:rate=25` and a 1 kHz
    /// sine, 0.12 s, libx264 baseline, AAC LC 44.1 kHz mono, bitexact): SDT, PAT, PMT, then three
    /// video PES (the first an IDR) and one audio PES holding seven ADTS frames.
    /// </summary>
    public const string FfmpegTinyTs =
        "474011100042f0250001c10000ff01ff0001fc80144812010646466d70656709536572766963653031777c43caffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff47400010" +
        "0000b00d0001c100000001f0002ab104b2ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff475000100002b017" +
        "0001c10000e100f0001be100f0000fe101f0002f44b99bffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff47410030075000007f217e00" +
        "000001e00000808005210007e8b50000000109f0000000016742c00ad9096c0440000003004000000c83c48992000000" +
        "0168cb83cb200000010605ffff6ddc45e9bde6d948b7962cd820d923eeef78323634202d20636f726520313634207233" +
        "3039352062616565343030202d20482e3236342f4d5045472d342041564320636f646563202d20436f70796c65667420" +
        "323030332d32303232202d20687474703a2f2f7777772e766964656f6c616e2e470100116f72672f783236342e68746d" +
        "6c202d206f7074696f6e733a2063616261633d30207265663d33206465626c6f636b3d313a303a3020616e616c797365" +
        "3d3078313a3078313131206d653d686578207375626d653d37207073793d31207073795f72643d312e30303a302e3030" +
        "206d697865645f7265663d31206d655f72616e67653d3136206368726f6d615f6d653d31207472656c6c69733d312038" +
        "78386463743d302063716d3d3020646561647a6f6e653d32312c31314701001220666173745f70736b69703d31206368" +
        "726f6d615f71705f6f66667365743d2d3220746872656164733d31206c6f6f6b61686561645f746872656164733d3120" +
        "736c696365645f746872656164733d30206e723d3020646563696d6174653d3120696e7465726c616365643d3020626c" +
        "757261795f636f6d7061743d3020636f6e73747261696e65645f696e7472613d3020626672616d65733d302077656967" +
        "6874703d30206b6579696e743d323530206b6579696e745f470100331d00ffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffff6d696e3d3235207363656e656375743d343020696e7472615f726566726573683d302072635f" +
        "6c6f6f6b61686561643d34302072633d637266206d62747265653d31206372663d32332e302071636f6d703d302e3630" +
        "2071706d696e3d302071706d61783d3639207170737465703d342069705f726174696f3d312e34302061713d313a312e" +
        "303000800000016588840bf2628000abcc9d75e0474100349900ffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff000001e0000080800521000904d5" +
        "0000000109f000000001419a3817e58047410035991000008d317e00ffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff000001e0000080800521000920f500000001" +
        "09f000000001419a54057960474101300140000001c002ad808005210007d861fff15040115ffc011e50adb474369dfb" +
        "7e3df9f65f7a96a85a7724a8fe91720f5af5d4c978bb8d5a9a53259ea99a7b09dc5c5b3d53bc95f432f16a18d81d8218" +
        "4cbd9988a8214a8fae096a8f9fb9d73f6db8ec4dcacb729dad46c746b67d6ca5546c73554d552954a552934a4d2934a4" +
        "d030303030303030303030303030303034b2cb2cb2cb2cb2cbc0fff15040159ffc011294da895d964bab2552592e9fff" +
        "63fdff1d69e7abb747010111ffd5ffdbefd6b8e271fa7ffd6ffafdfcebad6b5fd7ffea7fe7f5d6bae35627bb0b46a35e" +
        "b34dde4b12ffea870f5294db2ee77aefa3d77d1b79807d39de601f4fa3cf01f4fa25e60007d39fe8f3cc003e789db3eb" +
        "d88da4242184445143145f288712f909540c6c1894aa0694181a5538303220606372e2e0c0c0c0c0d4223d14c54f3cea" +
        "9e7d93ece69fe5f2e6e0fff150400d7ffc012af28b5a110e8485a112b17cd4efe7bfdbeffbfc6a6a6ad7725ba75abbd5" +
        "6b160ff047010112da73fbc2f9ce3bda108f8f86c67d108c9f003bef083fc00efb807f8304fb901f0006a107f8022cbf" +
        "c3a83e1b0eaf107e0d85b508542e71c27be06217b088289838fff1504008bffc00fa32871ab10e84c9955593ffebfeff" +
        "ffebae2eb55bd5eb6f593768ce375046db366cd9b366c8ab16c8ecd918c6c8ecc8b763d8b549c27e39504ea9220efff1" +
        "5040093ffc012652931ad49be69bf7effb7dff5fbeb8bbbb4bb75db497572ac03c3d700000188c78f7bc61d871e1e7dc" +
        "470101332a00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00" +
        "00c38787b6e0000c38787bb8830ee3cfbb80003bc7c0fff150400d5ffc011895a689519647ab2576076fffb1ff97e38e" +
        "2717aeffff3ffcfd4d71c4bbfffe5f8ebab7edcb0cb98a6dcc4c9a9553185cef173bc5f479e04260982600980d534388" +
        "8a844a10ab8e1087ecde6a1f86a33761a601bff3b11a99c215f4399a6f2aa0e0fff15040019ffc011881b470";

    /// <summary>The avcC of the ffmpeg FLV in FlvStreamReaderTests: baseline 32x32, one SPS (22 bytes) and one PPS (4 bytes).</summary>
    public const string AvcRecord = "0142c00affe100166742c00ada25b011000003000100000300320f1226a001000468ce0fc8";

    public const string Sps = "6742c00ada25b011000003000100000300320f1226a0";

    public const string Pps = "68ce0fc8";

    /// <summary>The first frame of that FLV: one 12-byte IDR slice with a four-byte length.</summary>
    public const string IdrFrame = "0000000c6588843a2628000902c9d75e";

    /// <summary>AudioSpecificConfig of AAC LC, 44.1 kHz, stereo.</summary>
    public const string AacLc44100Stereo = "1210";

    public const string PatPacketStart = "474000100000b00d0001c100000001f0002ab104b2";
}
