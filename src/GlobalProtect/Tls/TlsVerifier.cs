using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GlobalProtect.Tls;

/// <summary>
/// Verifies server certificates for one login: a pin accepts exactly one public key; a CA file replaces the
/// system trust store; otherwise the system decides. Nothing is ever accepted silently: each refusal is
/// recorded with the certificate's pin so the caller can report it.
/// </summary>
internal sealed class TlsVerifier
{
    private readonly byte[]? _pin;
    private readonly X509Certificate2Collection? _trustedRoots;
    private CertificateFailure? _lastFailure;

    public TlsVerifier(TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.IsNullOrWhiteSpace(settings.ServerCertPin))
        {
            if (!Pins.TryParse(settings.ServerCertPin, out var pin))
            {
                throw new GlobalProtectException(
                    $"servercert '{settings.ServerCertPin.Trim()}' is not of the form pin-sha256:BASE64 (SHA-256 of the public key)");
            }

            _pin = pin;
        }
        else if (!string.IsNullOrWhiteSpace(settings.CaFile))
        {
            _trustedRoots = LoadCaFile(settings.CaFile);
        }
    }

    /// <summary>The most recent refusal, or null.</summary>
    public CertificateFailure? LastFailure => Volatile.Read(ref _lastFailure);

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName ?? "the server";
        if (certificate is null)
        {
            Volatile.Write(ref _lastFailure, new CertificateFailure(host, "(no certificate)", "the server sent no certificate"));
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        var reason = Check(leaf, chain, errors);
        if (reason is null)
        {
            return true;
        }

        Volatile.Write(ref _lastFailure, new CertificateFailure(host, Pins.ComputePin(leaf), reason));
        return false;
    }

    private string? Check(X509Certificate2 leaf, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_pin is not null)
        {
            // A pin is the whole trust decision, as with openconnect --servercert: names and chains do not matter.
            return Pins.Matches(leaf, _pin) ? null : "it does not match the configured servercert pin";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return "its name does not match the host";
        }

        if (_trustedRoots is null)
        {
            return errors == SslPolicyErrors.None ? null : "it does not chain to a CA the system trusts";
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // The intermediates the server sent.
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf) ? null : "it does not chain to a CA in cafile";
    }

    private static X509Certificate2Collection LoadCaFile(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new GlobalProtectException($"cannot read cafile {path}: {ex.Message}", ex);
        }

        if (roots.Count == 0)
        {
            throw new GlobalProtectException($"cafile {path} holds no PEM certificate");
        }

        return roots;
    }
}
