namespace GlobalProtect.Tls;

/// <summary>Why a server certificate was refused, kept until the failed request is mapped to an exception.</summary>
internal sealed record CertificateFailure(string Host, string Pin, string Reason);
