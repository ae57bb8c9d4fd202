namespace HvUtils.Core.Channels;

/// <summary>Hyper-V HRESULT-style status codes (spec/kvp.md §1.6).</summary>
public static class HvStatus
{
    public const uint S_OK = 0x00000000;
    public const uint E_FAIL = 0x80004005;
    public const uint S_CONT = 0x80070103;
    public const uint ERROR_ALREADY_EXISTS = 0x80070050;
    public const uint ERROR_DISK_FULL = 0x80070070;
    public const uint INVALIDARG = 0x80070057;
    public const uint GUID_NOTFOUND = 0x80041002;
    public const uint ERROR_NOT_SUPPORTED = 0x80070032;

    /// <summary>Lower-case outcome word for metrics and logs (no allocation).</summary>
    public static string Outcome(uint status) => status switch
    {
        S_OK => "success",
        S_CONT => "no_more_items",
        E_FAIL => "failure",
        ERROR_ALREADY_EXISTS => "already_exists",
        ERROR_DISK_FULL => "disk_full",
        INVALIDARG => "invalid_argument",
        GUID_NOTFOUND => "not_found",
        ERROR_NOT_SUPPORTED => "not_supported",
        _ => "error",
    };
}
