using System.Net;
using System.Net.Sockets;

namespace NumaSim.Cli;

/// <summary>
/// A port the user named is tried before anything starts: a busy one is one line and exit 5, where Akka's remoting
/// or the Prometheus listener would fail deep inside with a stack of wrapped exceptions.
/// </summary>
internal static class PortCheck
{
    /// <summary>Null when <paramref name="port"/> is 0 (any) or free on <paramref name="host"/>, else why not.</summary>
    public static string? Problem(string option, string host, int port)
    {
        if (port == 0)
        {
            return null;
        }
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            return $"{option} {port}: not a port (1-{IPEndPoint.MaxPort}, or 0 for any)";
        }
        try
        {
            // "*" and "+" are HttpListener's wildcards.
            var address = host is "*" or "+" ? IPAddress.Any : IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host).First();
            var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"{option} {port}: {host}:{port} is already in use"
                : $"{option} {port}: cannot listen on {host}: {e.Message}";
        }
    }
}
