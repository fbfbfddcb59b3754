using Appliance.Auth.Tokens;
using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Appliance.Auth.Callback;

/// <summary>
/// The JSON the customer's endpoint receives:
/// <c>{action, domain, app, stream, clientIp, protocol, params}</c>, params being the raw query.
/// Written with Utf8JsonWriter, which needs no reflection (AOT) and escapes hostile text.
/// </summary>
internal static class CallbackBody
{
    public static HttpContent Create(in AuthRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("action"u8, AuthNames.Of(request.Action));
            writer.WriteString("domain"u8, request.Domain);
            writer.WriteString("app"u8, request.App);
            writer.WriteString("stream"u8, request.Stream);
            writer.WriteString("clientIp"u8, request.ClientIp.ToString());
            writer.WriteString("protocol"u8, AuthNames.Of(request.Protocol));
            writer.WriteString("params"u8, request.Query ?? "");
            writer.WriteEndObject();
        }
        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
