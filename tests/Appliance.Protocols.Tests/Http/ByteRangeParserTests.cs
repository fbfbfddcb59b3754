using System.Text;
using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

/// <summary>Range field values, as the bytes a client sent, against a body of 1000 bytes unless told.</summary>
public class ByteRangeParserTests
{
    private const long Length = 1000;

    private static ByteRangeOutcome Evaluate(byte[] value, out ByteRange range, long length = Length) =>
        ByteRangeParser.Evaluate(value.AsSpan(), length, out range);

    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    [Theory]
    [InlineData("bytes=0-499", 0, 499)]
    [InlineData("bytes=500-999", 500, 999)]
    [InlineData("bytes=500-", 500, 999)]
    [InlineData("bytes=-200", 800, 999)]
    [InlineData("bytes=0-0", 0, 0)]
    [InlineData("bytes=999-999", 999, 999)]
    [InlineData("bytes=-1", 999, 999)]
    [InlineData("bytes=900-5000", 900, 999)]
    [InlineData("bytes=-5000", 0, 999)]
    [InlineData("bytes=0-", 0, 999)]
    [InlineData("BYTES=10-19", 10, 19)]
    [InlineData("Bytes=10-19", 10, 19)]
    [InlineData("bytes=0010-0019", 10, 19)]
    [InlineData("  bytes=10-19\t", 10, 19)]
    [InlineData("bytes=10-19,", 10, 19)]
    [InlineData("bytes=, 10-19 ,,", 10, 19)]
    [InlineData("bytes=0-99999999999999999999999999", 0, 999)]
    [InlineData("bytes=-99999999999999999999999999", 0, 999)]
    [InlineData("bytes=0-9223372036854775807", 0, 999)]
    [InlineData("bytes=0-9223372036854775808", 0, 999)]
    public void OneSatisfiableRangeIsClampedToTheBody(string value, long first, long last)
    {
        var outcome = Evaluate(Bytes(value), out var range);

        Assert.Equal(ByteRangeOutcome.Satisfiable, outcome);
        Assert.Equal(new ByteRange(first, last), range);
        Assert.Equal(last - first + 1, range.Length);
    }

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=1000-1000")]
    [InlineData("bytes=5000-6000")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=-000")]
    [InlineData("bytes=99999999999999999999999999-")]
    [InlineData("bytes=9223372036854775807-9223372036854775807")]
    [InlineData("bytes=99999999999999999999999999-99999999999999999999999999")]
    public void ARangePastTheEndIsUnsatisfiable(string value)
    {
        Assert.Equal(ByteRangeOutcome.Unsatisfiable, Evaluate(Bytes(value), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bytes")]
    [InlineData("bytes=")]
    [InlineData("bytes=,")]
    [InlineData("bytes=-")]
    [InlineData("bytes=--1")]
    [InlineData("bytes=1--2")]
    [InlineData("bytes=1-2-3")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=0x10-0x20")]
    [InlineData("bytes=+1-2")]
    [InlineData("bytes=1-+2")]
    [InlineData("bytes=-+2")]
    [InlineData("bytes=1 -2")]
    [InlineData("bytes=1- 2")]
    [InlineData("bytes=1.5-2")]
    [InlineData("bytes=20-10")]
    [InlineData("bytes =0-1")]
    [InlineData("bytes= 0-1;q=1")]
    [InlineData("byte=0-1")]
    [InlineData("bytesx=0-1")]
    [InlineData("items=0-1")]
    [InlineData("=0-1")]
    [InlineData("0-1")]
    [InlineData("bytes=0-1,2-3")]
    [InlineData("bytes=0-1, -1")]
    [InlineData("bytes=1000-,2000-")]
    [InlineData("bytes=0-1,garbage")]
    public void WhatTheServerMayIgnoreIsIgnored(string value)
    {
        Assert.Equal(ByteRangeOutcome.Ignore, Evaluate(Bytes(value), out _));
    }

    [Fact]
    public void ManyRangesAreIgnoredWithoutReadingThemAll()
    {
        var value = "bytes=" + string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"{i}-{i}"));

        Assert.Equal(ByteRangeOutcome.Ignore, Evaluate(Bytes(value), out _));
        Assert.Equal(ByteRangeOutcome.Ignore, ByteRangeParser.Evaluate(value, Length, out _));
    }

    [Fact]
    public void AHugeNumberSaturatesInsteadOfOverflowing()
    {
        var digits = new string('9', 100_000);

        Assert.Equal(ByteRangeOutcome.Unsatisfiable, Evaluate(Bytes($"bytes={digits}-"), out _));
        Assert.Equal(ByteRangeOutcome.Satisfiable, Evaluate(Bytes($"bytes=5-{digits}"), out var range));
        Assert.Equal(new ByteRange(5, 999), range);
        Assert.Equal(ByteRangeOutcome.Satisfiable, Evaluate(Bytes($"bytes=-{digits}"), out range));
        Assert.Equal(new ByteRange(0, 999), range);
    }

    [Theory]
    [InlineData(new byte[] { 0x62, 0x79, 0x74, 0x65, 0x73, 0x3D, 0x00, 0x2D, 0x31 })]
    [InlineData(new byte[] { 0x62, 0x79, 0x74, 0x65, 0x73, 0x3D, 0x31, 0x2D, 0xFF })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x3D, 0x31, 0x2D, 0x32 })]
    [InlineData(new byte[] { 0x62, 0x79, 0x74, 0x65, 0x73, 0x3D, 0xD9, 0xA1, 0x2D, 0x32 })]
    [InlineData(new byte[] { 0x62, 0x79, 0x74, 0x65, 0x73, 0x3D, 0x31, 0x0D, 0x0A, 0x2D, 0x32 })]
    [InlineData(new byte[] { 0x3D, 0x3D, 0x3D, 0x2D, 0x2D, 0x2C, 0x2C })]
    public void GarbageBytesAreIgnored(byte[] value)
    {
        Assert.Equal(ByteRangeOutcome.Ignore, Evaluate(value, out _));
    }

    [Fact]
    public void AnEmptyBodyHasNoRangeToServe()
    {
        Assert.Equal(ByteRangeOutcome.Ignore, Evaluate(Bytes("bytes=0-"), out _, length: 0));
        Assert.Equal(ByteRangeOutcome.Ignore, Evaluate(Bytes("bytes=-5"), out _, length: 0));
    }

    [Fact]
    public void AOneByteBody()
    {
        Assert.Equal(ByteRangeOutcome.Satisfiable, Evaluate(Bytes("bytes=-5"), out var range, length: 1));
        Assert.Equal(new ByteRange(0, 0), range);
        Assert.Equal(ByteRangeOutcome.Unsatisfiable, Evaluate(Bytes("bytes=1-"), out _, length: 1));
    }

    [Fact]
    public void AHugeBodyKeepsExactPositions()
    {
        const long huge = long.MaxValue;

        Assert.Equal(ByteRangeOutcome.Satisfiable, Evaluate(Bytes("bytes=-1"), out var range, length: huge));
        Assert.Equal(new ByteRange(huge - 1, huge - 1), range);
        Assert.Equal(ByteRangeOutcome.Satisfiable, Evaluate(Bytes("bytes=9223372036854775806-"), out range, length: huge));
        Assert.Equal(1, range.Length);
    }

    [Theory]
    [InlineData(null, ByteRangeOutcome.Ignore)]
    [InlineData("bytes=10-19", ByteRangeOutcome.Satisfiable)]
    [InlineData("bytes=1000-", ByteRangeOutcome.Unsatisfiable)]
    [InlineData("bytes=\u00ff-1", ByteRangeOutcome.Ignore)]
    public void TheStringFormReadsTheSameBytes(string? value, ByteRangeOutcome expected)
    {
        Assert.Equal(expected, ByteRangeParser.Evaluate(value, Length, out _));
    }

    [Fact]
    public void AFieldLongerThanAnyOneRangeIsIgnoredAsAString()
    {
        // Padding with empty list elements is legal but no real client sends a kilobyte of it.
        var padded = "bytes=" + new string(',', 2000) + "10-19";

        Assert.Equal(ByteRangeOutcome.Satisfiable, Evaluate(Bytes(padded), out _));
        Assert.Equal(ByteRangeOutcome.Ignore, ByteRangeParser.Evaluate(padded, Length, out _));
    }
}
