using System.Diagnostics;
using System.Globalization;
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
    private const string Prefix = "numasim-tls-";

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
        RemoveOrphans();
        // The owner's pid in the name: a run killed outright cannot delete its key, the next run does.
        var directory = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-").FullName;
        var path = Path.Combine(directory, "cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new ThrowawayCertificate(directory, new TlsSettings(path, password));
    }

    /// <summary>The key folders of runs whose process is gone (killed with SIGKILL, or a crash).</summary>
    private static void RemoveOrphans()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var rest = Path.GetFileName(folder)[Prefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsAlive(pid))
            {
                Delete(folder);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // already gone, or another user's
        }
    }

    public void Dispose() => Delete(_directory);
}
