using FakeGlobalProtect.Http;

namespace FakeGlobalProtect.Server;

/// <summary>What the connection should do with a request the portal/gateway logic has decided on.</summary>
public abstract record HandlerResult;

/// <summary>Send <paramref name="Response"/>; close the connection afterwards when <paramref name="Close"/>.</summary>
public sealed record ReplyResult(HttpResponse Response, bool Close = false) : HandlerResult;

/// <summary>Answer START_TUNNEL and carry framed packets for <paramref name="Session"/>.</summary>
public sealed record TunnelResult(VpnSession Session) : HandlerResult;

/// <summary>Accept the request and never answer it (the "hang" scenario).</summary>
public sealed record NoReplyResult : HandlerResult;

/// <summary>
/// Answer 200 with a body of <paramref name="Length"/> bytes (a prelogin-response whose message is mostly filler),
/// streamed in chunks, until all is sent or the client stops reading (the "huge-body" scenario).
/// </summary>
public sealed record HugeBodyResult(long Length) : HandlerResult;

/// <summary>
/// Answer 200 announcing <paramref name="AnnouncedLength"/> bytes, send the start of a prelogin-response, then one
/// byte every <paramref name="Interval"/> for as long as the client stays (the "endless" scenario).
/// </summary>
public sealed record EndlessBodyResult(long AnnouncedLength, TimeSpan Interval) : HandlerResult;
