namespace GpDaemon.Network;

/// <summary>The rtnetlink constants the follower uses (linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h).</summary>
internal static class Rtnetlink
{
    public const int NETLINK_ROUTE = 0;

    public const uint RTMGRP_LINK = 0x1;
    public const uint RTMGRP_IPV4_IFADDR = 0x10;
    public const uint RTMGRP_IPV4_ROUTE = 0x40;
    public const uint RTMGRP_IPV6_IFADDR = 0x100;
    public const uint RTMGRP_IPV6_ROUTE = 0x400;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;

    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_DUMP = 0x300;

    public const int HeaderSize = 16;

    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_PRIORITY = 6;
    public const ushort RTA_PREFSRC = 7;
    public const ushort RTA_MULTIPATH = 9;
    public const ushort RTA_TABLE = 15;

    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_FLAGS = 8;
    public const uint IFA_F_TEMPORARY = 0x01;
    public const uint IFA_F_DEPRECATED = 0x20;
    public const uint IFA_F_TENTATIVE = 0x40;

    public const ushort IFLA_IFNAME = 3;
    public const uint IFF_UP = 0x1;
    public const uint IFF_RUNNING = 0x40;
    public const uint IFF_LOWER_UP = 0x10000;

    public const byte RT_TABLE_MAIN = 254;
    public const byte RTN_UNICAST = 1;
    public const byte RT_SCOPE_UNIVERSE = 0;

    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;

    public static int Align(int length) => (length + 3) & ~3;
}
