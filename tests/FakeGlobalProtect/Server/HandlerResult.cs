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
