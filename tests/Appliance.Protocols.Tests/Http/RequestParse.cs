using System.Buffers;
using Appliance.Protocols.Http;

namespace Appliance.Protocols.Tests.Http;

/// <summary>One call to the request parser and everything it reported.</summary>
internal readonly record struct RequestParse(HttpParseStatus Status, int ErrorStatus, long Consumed, HttpRequest Request)
{
    public static RequestParse Run(string text, HttpLimits? limits = null) =>
        Run(new ReadOnlySequence<byte>(TestSequences.Ascii(text)), limits);

    public static RequestParse Run(byte[] data, HttpLimits? limits = null) =>
        Run(new ReadOnlySequence<byte>(data), limits);

    public static RequestParse Run(ReadOnlySequence<byte> data, HttpLimits? limits = null, HttpRequest? request = null)
    {
        request ??= new HttpRequest();
        var reader = new SequenceReader<byte>(data);
        var effective = limits ?? HttpLimits.Default;
        var status = HttpRequestParser.TryParse(ref reader, request, effective, out int error);
        return new RequestParse(status, error, reader.Consumed, request);
    }
}
