using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// A throw-away CA (trusted by the hub through Web:ExtraRootCertificates) and leaf certificates for
/// localhost: one valid for a year, one expiring in 5 days; plus a self-signed one nobody trusts.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 root, string rootPemPath)
    {
        Root = root;
        RootPemPath = rootPemPath;
        Valid = Leaf(root, TimeSpan.FromDays(365));
        ExpiringSoon = Leaf(root, TimeSpan.FromDays(5));
        SelfSigned = SelfSignedLocalhost();
    }

    public X509Certificate2 Root { get; }

    public string RootPemPath { get; }

    public X509Certificate2 Valid { get; }

    public X509Certificate2 ExpiringSoon { get; }

    public X509Certificate2 SelfSigned { get; }

    public static TestCertificates Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Micromastery Hub Test Root", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var path = Path.Combine(Path.GetTempPath(), $"hub-test-root-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, root.ExportCertificatePem());
        return new TestCertificates(root, path);
    }

    private static X509Certificate2 Leaf(X509Certificate2 root, TimeSpan lifetime)
    {
        using var key = RSA.Create(2048);
        var request = LocalhostRequest(key);
        var serial = RandomNumberGenerator.GetBytes(12);
        using var signed = request.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.Add(lifetime), serial);
        return Exportable(signed.CopyWithPrivateKey(key));
    }

    private static X509Certificate2 SelfSignedLocalhost()
    {
        using var key = RSA.Create(2048);
        using var cert = LocalhostRequest(key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return Exportable(cert);
    }

    private static CertificateRequest LocalhostRequest(RSA key)
    {
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    // Kestrel on Linux needs a certificate whose key is loadable from PKCS#12.
    private static X509Certificate2 Exportable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    public void Dispose()
    {
        File.Delete(RootPemPath);
    }
}
