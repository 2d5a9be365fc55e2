using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NumaSim.Cluster.Hosting;

namespace NumaSim.Cluster.Security;

/// <summary>
/// The certificate of one `--processes` run: self-signed, made at start, written to a private
/// temporary PKCS#12 file with a random password, and deleted when the run ends. Every process of
/// the run presents it and accepts only it, so no other process can join.
/// </summary>
public sealed class ThrowawayCertificate : IDisposable
{
    private readonly string _directory;

    private ThrowawayCertificate(string directory, TlsSettings settings)
    {
        _directory = directory;
        Settings = settings;
    }

    public TlsSettings Settings { get; }

    public static ThrowawayCertificate Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=numasim-run", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var directory = Directory.CreateTempSubdirectory("numasim-tls-").FullName;
        var path = Path.Combine(directory, "cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new ThrowawayCertificate(directory, new TlsSettings(path, password));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // already gone
        }
    }
}
