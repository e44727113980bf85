using System.Net;
using System.Text.RegularExpressions;
using GpDaemon.TestSupport;

namespace Integration.Tests.SingleSignOn;

/// <summary>
/// Signs in at the fake identity provider over HTTPS the way a browser without the desktop's handler would, and
/// reads the globalprotectcallback: link (or, for the header form, the cookie) off the final page.
/// </summary>
internal sealed partial class IdentityProvider(FakePortal fake) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler
    {
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            certificate is not null && "pin-sha256:" + Convert.ToBase64String(
                System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())) == fake.Pin,
    })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>REDIRECT: opens the URL, fills the form; the final page.</summary>
    public async Task<FinalPage> SignInAsync(string url, string password = "secret")
    {
        using HttpResponseMessage form = await _http.GetAsync(url);
        Assert.Contains("name=\"password\"", await form.Content.ReadAsStringAsync());
        return await SubmitCredentialsAsync(url, password);
    }

    /// <summary>POST: submits the portal's form (as the page's script would), then fills the login form.</summary>
    public async Task<FinalPage> SignInWithFormAsync(string formHtml, string password = "secret")
    {
        string action = WebUtility.HtmlDecode(FormAction().Match(formHtml).Groups[1].Value);
        var fields = HiddenField().Matches(formHtml).Select(m => new KeyValuePair<string, string>(m.Groups[1].Value, m.Groups[2].Value));
        using HttpResponseMessage form = await _http.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Contains("name=\"password\"", await form.Content.ReadAsStringAsync());
        return await SubmitCredentialsAsync(action, password);
    }

    private async Task<FinalPage> SubmitCredentialsAsync(string url, string password)
    {
        string target = url.Split('?')[0];
        using HttpResponseMessage page = await _http.PostAsync(target,
            new FormUrlEncodedContent([new("username", FakePortal.User), new("password", password)]));
        string html = await page.Content.ReadAsStringAsync();
        string? callback = Callback().Match(html) is { Success: true } m ? m.Groups[1].Value : null;
        string? cookie = page.Headers.TryGetValues("prelogin-cookie", out var values) ? values.Single() : null;
        return new FinalPage(html, callback, cookie);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("window.location.href = \"(globalprotectcallback:[^\"]+)\"")]
    private static partial Regex Callback();

    [GeneratedRegex("<form [^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}

/// <param name="Callback">The globalprotectcallback: link the page sends the browser to (null: the header form).</param>
/// <param name="Cookie">The prelogin-cookie header.</param>
internal sealed record FinalPage(string Html, string? Callback, string? Cookie);
