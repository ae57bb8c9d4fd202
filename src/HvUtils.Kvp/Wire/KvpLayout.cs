namespace HvUtils.Kvp.Wire;

/// <summary>
/// Absolute offsets inside the 7432-byte <c>struct hv_kvp_msg</c> (spec/kvp.md §2.8).
/// The body union is 7428 bytes (7426 rounded up to its 4-byte alignment), so the
/// message is 7432 — never derive it from field sums.
/// </summary>
public static class KvpLayout
{
    public const int MessageSize = 7432;
    public const int BodySize = 7428;

    public const int MaxKeySize = 512;
    public const int MaxValueSize = 2048;

    // hv_kvp_hdr / reply status (§2.1, §2.8)
    public const int Operation = 0;
    public const int Pool = 1;
    public const int Status = 0;

    // body.kvp_set.data / body.kvp_get.data: hv_kvp_exchg_msg_value at 4 (§2.2, §2.4)
    public const int ValueType = 4;
    public const int KeySize = 8;
    public const int ValueSize = 12;
    public const int Key = 16;
    public const int Value = 528;

    // body.kvp_enum_data: hv_kvp_msg_enumerate at 4 (§2.3)
    public const int EnumIndex = 4;
    public const int EnumValueType = 8;
    public const int EnumKeySize = 12;
    public const int EnumValueSize = 16;
    public const int EnumKey = 20;
    public const int EnumValue = 532;

    // body.kvp_delete: hv_kvp_msg_delete at 4, not packed (§2.5)
    public const int DeleteKeySize = 4;
    public const int DeleteKey = 8;

    // body.kvp_register (§2.6)
    public const int RegisterVersion = 4;
    public const int RegisterVersionSize = 512;

    // body.kvp_ip_val: hv_kvp_ipaddr_value at 4 (§2.7)
    public const int AdapterId = 4;
    public const int AdapterIdSize = 256;
    public const int AddressFamily = 260;
    public const int DhcpEnabled = 261;
    public const int IpAddress = 262;
    public const int IpAddressSize = 2048;
    public const int Subnet = 2310;
    public const int SubnetSize = 2048;
    public const int Gateway = 4358;
    public const int GatewaySize = 1024;
    public const int DnsAddress = 5382;
    public const int DnsAddressSize = 2048;
    public const int IpValueEnd = 7430;
}

/// <summary>Operation codes, byte 0 of a request (spec/kvp.md §1.2).</summary>
public enum KvpOperation : byte
{
    Get = 0,
    Set = 1,
    Delete = 2,
    Enumerate = 3,
    GetIpInfo = 4,
    SetIpInfo = 5,
    Register1 = 100,
}

/// <summary>Pools, byte 1 of a request (spec/kvp.md §1.3).</summary>
public static class KvpPools
{
    public const int External = 0;
    public const int Guest = 1;
    public const int Auto = 2;
    public const int AutoExternal = 3;
    public const int AutoInternal = 4;
    public const int Count = 5;
}
