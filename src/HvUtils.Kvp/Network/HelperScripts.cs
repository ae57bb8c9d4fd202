namespace HvUtils.Kvp.Network;

/// <summary>
/// The distro helper scripts of the C daemon (kvp.md §9), for <c>Kvp:Network:UseHelperScripts</c>:
/// <c>hv_get_dns_info &lt;if&gt;</c> and <c>hv_get_dhcp_info &lt;if&gt;</c> from <c>ScriptsDirectory</c>, run with
/// an argv array instead of <c>/bin/sh -c "exec …"</c>, their output parsed as the C daemon does.
/// </summary>
public sealed class HelperScripts(string scriptsDirectory, CommandRunner runner)
{
    /// <summary>
    /// dns_addr: every output line with its newline removed, each followed by <c>;</c>
    /// (kvp_process_ipconfig_file: stop once fewer than INET_ADDRSTRLEN + 1 bytes would remain).
    /// </summary>
    public string DnsServers(string interfaceName, int capacity)
    {
        CommandResult result = runner.Run(Path.Combine(scriptsDirectory, "hv_get_dns_info"), interfaceName);
        if (result.ExitCode == -1)
        {
            return "";
        }
        const int INET_ADDRSTRLEN = 16;
        var text = new System.Text.StringBuilder();
        foreach (string line in Lines(result.StandardOutput))
        {
            if (capacity < text.Length + INET_ADDRSTRLEN + 1 || text.Length + line.Length + 1 > capacity)
            {
                break;
            }
            text.Append(line).Append(';');
        }
        return text.ToString();
    }

    /// <summary>dhcp_enabled: 1 when the first line begins with <c>Enabled</c>, 0 otherwise, null when nothing was printed.</summary>
    public byte? Dhcp(string interfaceName)
    {
        CommandResult result = runner.Run(Path.Combine(scriptsDirectory, "hv_get_dhcp_info"), interfaceName);
        if (result.ExitCode == -1 || result.StandardOutput.Length == 0)
        {
            return null;
        }
        return result.StandardOutput.StartsWith("Enabled", StringComparison.Ordinal) ? (byte)1 : (byte)0;
    }

    private static IEnumerable<string> Lines(string output)
    {
        int start = 0;
        while (start < output.Length)
        {
            int nl = output.IndexOf('\n', start);
            int end = nl < 0 ? output.Length : nl;
            // fgets with a 256-byte buffer: longer lines come back in pieces; cut likewise.
            string line = output[start..end];
            if (line.Length == 0)
            {
                yield return line;
            }
            for (int i = 0; i < line.Length; i += 255)
            {
                yield return line.Substring(i, Math.Min(255, line.Length - i));
            }
            start = end + 1;
        }
    }
}
