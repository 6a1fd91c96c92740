-- Dispatch as data (SIMULATION.md "Dispatch", CONVENTIONS.md item 14): what arrives on a device
-- (a packet by transport, port and message type; a timer or a signal by its name) is mapped to a
-- (protocol, role, trigger) binding, and the bindings table (else the chart with that header)
-- names the chart. Rows are tried in `position` order; the first that matches wins. Each row
-- comes from the "Triggered by" line of the chart it names (`note`). Edit a row with sqlite3 and
-- the next simulation uses it.
--
-- side 'local': the packet arrives at `port` (a service's fixed port; NULL: any port).
-- side 'peer':  an answer arriving at a port the device's own request or connection left from;
--               `port` is then the peer's port (the packet's source port; NULL: any), and
--               `sender` a GLOB on the chart whose node first sent from that local port.
-- message: a GLOB on the message type (packets), the timer's name (timers) or the signal's name.
CREATE TABLE dispatch (
    position  INTEGER PRIMARY KEY,
    transport TEXT NOT NULL CHECK (transport IN ('udp', 'tcp', 'timer', 'signal')),
    port      INTEGER CHECK (port IS NULL OR port BETWEEN 0 AND 65535),
    side      TEXT NOT NULL DEFAULT 'local' CHECK (side IN ('local', 'peer')),
    message   TEXT NOT NULL DEFAULT '*' CHECK (length(message) > 0),
    sender    TEXT NOT NULL DEFAULT '*' CHECK (length(sender) > 0),
    protocol  TEXT NOT NULL,
    role      TEXT NOT NULL,
    trigger   TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);

INSERT INTO dispatch (position, transport, port, side, message, sender, protocol, role, trigger, note) VALUES
-- DHCP and DHCPv6 (dhcp.md)
(10,  'udp', 67,   'local', '*', '*', 'dhcp', 'server', 'receive', 'a UDP packet to port 67'),
(20,  'udp', 68,   'local', '*', '*', 'dhcp', 'client', 'receive', 'a UDP packet to port 68 on iface'),
(30,  'udp', 547,  'local', '*', '*', 'dhcpv6', 'server', 'receive', 'a UDP packet to port 547 on iface'),
(40,  'udp', 546,  'local', '*', '*', 'dhcpv6', 'client', 'receive', 'a UDP packet to port 546 on iface'),
-- DNS (dns.md): the server's own upstream queries leave from 53, a resolver's from its own port
(50,  'udp', 53,   'local', '*', '*', 'dns', 'server', 'receive', 'a UDP packet to port 53: a query, or an answer to a query this server passed on'),
(60,  'udp', 53,   'peer',  'DNS_*', '*', 'dns', 'resolver', 'receive', 'a DNS message to the resolver''s port'),
-- NTP and syslog (ntp-syslog.md): on 123 the message type decides
(70,  'udp', 123,  'local', 'NTP_REQUEST', '*', 'ntp', 'server', 'receive', 'a UDP packet to port 123 of type NTP_REQUEST'),
(80,  'udp', 123,  'local', 'NTP_RESPONSE', '*', 'ntp', 'client', 'receive', 'a UDP packet to port 123 of type NTP_RESPONSE'),
(90,  'udp', 123,  'peer',  'NTP_RESPONSE', '*', 'ntp', 'client', 'receive', 'an NTP_RESPONSE to the port the request left from'),
(100, 'udp', 514,  'local', '*', '*', 'syslog', 'server', 'receive', 'a UDP packet to the syslog port'),
-- SNMP (snmp.md)
(110, 'udp', 161,  'local', '*', '*', 'snmp', 'agent', 'receive', 'packet arrival on UDP 161'),
(120, 'udp', 162,  'local', '*', '*', 'snmp', 'manager', 'receive', 'a notification to UDP 162'),
(130, 'udp', NULL, 'peer',  'SNMP_*', '*', 'snmp', 'manager', 'receive', 'a UDP datagram to the port a request left from'),
-- RADIUS (aaa.md): a NAS's request leaves from 1645 too, so the message type decides
(140, 'udp', 1645, 'local', 'RADIUS_ACCESS_REQUEST', '*', 'radius', 'server', 'receive', 'UDP to device.aaa.radius_port (1645 in PT)'),
(150, 'udp', 1812, 'local', 'RADIUS_ACCESS_REQUEST', '*', 'radius', 'server', 'receive', 'UDP to device.aaa.radius_port'),
(160, 'udp', NULL, 'local', 'RADIUS_ACCESS_*', '*', 'radius', 'client', 'receive', 'UDP from a RADIUS server''s authentication port to the NAS'),
(170, 'udp', NULL, 'peer',  'RADIUS_ACCESS_*', '*', 'radius', 'client', 'receive', 'UDP from a RADIUS server''s authentication port to the NAS'),
-- TFTP (tftp.md): the server's transfer ports come to the server chart, a client's to its session
(180, 'udp', 69,   'local', '*', '*', 'tftp', 'server', 'receive', 'a TFTP packet addressed to the server on port 69'),
(190, 'udp', NULL, 'peer',  'TFTP_*', 'tftp.server.*', 'tftp', 'server', 'receive', 'a TFTP packet on a transfer port the server opened'),
(200, 'udp', NULL, 'peer',  'TFTP_*', '*', 'tftp', 'session', 'receive', 'on a client, a TFTP packet to the transfer''s port'),
-- TCP services (ftp.md, http.md, mail.md, telnet-ssh.md, aaa.md) and their clients' receive charts
(210, 'tcp', 21,   'local', '*', '*', 'ftp', 'server', 'receive', 'a packet on TCP 21: TCP_OPENED, TCP_CLOSED, FTP_COMMAND or FTP_DATA'),
(220, 'tcp', 21,   'peer',  '*', '*', 'ftp', 'client', 'receive', 'a packet from the server on the control connection, including the TCP notices'),
(230, 'tcp', 80,   'local', '*', '*', 'http', 'server', 'receive', 'an HTTP_REQUEST, TCP_OPENED or TCP_CLOSED on TCP 80'),
(240, 'tcp', 443,  'local', '*', '*', 'http', 'server', 'receive', 'an HTTP_REQUEST, TCP_OPENED or TCP_CLOSED on TCP 443'),
(250, 'tcp', 80,   'peer',  '*', '*', 'http', 'client', 'receive', 'a packet from the web server on the browser''s connection'),
(260, 'tcp', 443,  'peer',  '*', '*', 'http', 'client', 'receive', 'a packet from the web server on the browser''s connection'),
(270, 'tcp', 25,   'local', '*', '*', 'smtp', 'server', 'receive', 'a packet on TCP 25: TCP_OPENED, TCP_CLOSED, SMTP_COMMAND, SMTP_CONTENT'),
(280, 'tcp', 25,   'peer',  '*', '*', 'smtp', 'client', 'receive', 'an SMTP_REPLY from the server, or a transport notice'),
(290, 'tcp', 110,  'local', '*', '*', 'pop3', 'server', 'receive', 'a packet on TCP 110: TCP_OPENED, TCP_CLOSED, POP3_COMMAND'),
(300, 'tcp', 110,  'peer',  '*', '*', 'pop3', 'client', 'receive', 'a POP3_REPLY from the server, or a transport notice'),
(310, 'tcp', 23,   'local', '*', '*', 'telnet', 'server', 'receive', 'a packet on TCP 23: TCP_OPENED, TCP_CLOSED or TELNET_DATA'),
(320, 'tcp', 23,   'peer',  '*', '*', 'telnet', 'client', 'receive', 'a packet from the server: TCP_OPENED, TCP_REFUSED, TCP_TIMED_OUT, TCP_CLOSED, TELNET_DATA'),
(330, 'tcp', 22,   'local', '*', '*', 'ssh', 'server', 'receive', 'a packet on TCP 22: TCP_OPENED, TCP_CLOSED, SSH_VERSION, SSH_AUTH, SSH_DATA'),
(340, 'tcp', 22,   'peer',  '*', '*', 'ssh', 'client', 'receive', 'a packet from the server: TCP_REFUSED, TCP_OPENED, TCP_CLOSED, SSH_VERSION, SSH_DATA'),
(350, 'tcp', 49,   'local', '*', '*', 'tacacs', 'server', 'receive', 'TACACS+ data on TCP device.aaa.tacacs_port (49)'),
(360, 'tcp', 49,   'peer',  '*', '*', 'tacacs', 'client', 'receive', 'TACACS+ data from a server on a session''s connection'),
-- VoIP (voip.md): other SCCP messages on the phone's connection start nothing
(370, 'tcp', 2000, 'local', 'SCCP_REGISTER', '*', 'voip', 'registration', 'cme', 'SCCP_REGISTER on TCP to the CME'),
(380, 'tcp', 2000, 'local', 'SCCP_OFFHOOK', '*', 'voip', 'call', 'local', 'SCCP_OFFHOOK from a phone'),
(390, 'tcp', 1720, 'local', 'H225_SETUP', '*', 'voip', 'call', 'remote.terminate', 'H225_SETUP on TCP 1720'),
-- Timers that no wait names
(400, 'timer', NULL, 'local', 'dhcp.*', '*', 'dhcp', 'client', 'timeout', 'expiry of dhcp.retx, dhcp.t1, dhcp.t2, dhcp.lease or dhcp.rediscover'),
(410, 'timer', NULL, 'local', 'dhcpv6.*', '*', 'dhcpv6', 'client', 'timeout', 'expiry of dhcpv6.retx, .t1, .t2, .valid or .info_refresh'),
(420, 'timer', NULL, 'local', 'dns.upstream.*', '*', 'dns', 'server', 'upstream_timeout', 'expiry of dns.upstream.<id>'),
(430, 'timer', NULL, 'local', 'radius.timeout.*', '*', 'aaa', 'client', 'next_method', 'the expiry of a timer radius.timeout.<identifier>'),
(440, 'timer', NULL, 'local', 'tacacs.timeout.*', '*', 'aaa', 'client', 'next_method', 'the expiry of a timer tacacs.timeout.<session_id>'),
(450, 'timer', NULL, 'local', 'ntp.poll.*', '*', 'ntp', 'client', 'request', 'the timer ntp.poll.<key>'),
(460, 'timer', NULL, 'local', 'http.response', '*', 'http', 'client', 'timeout', 'timer http.response, with the session it belongs to'),
(470, 'timer', NULL, 'local', 'tftp.retransmit.*', '*', 'tftp', 'session', 'timeout', 'timer tftp.retransmit.<local port>, with its transfer''s session'),
(480, 'timer', NULL, 'local', 'voip.retry', '*', 'voip', 'registration', 'phone', 'the expiry of the retry timer voip.retry'),
-- The device's prompt (SIMULATION.md "The device's prompt, keys and buttons"): a typed line no wait takes
(490, 'signal', NULL, 'local', 'terminal.line', '*', 'terminal', 'prompt', 'line', 'signal terminal.line that no wait takes'),
(500, 'signal', NULL, 'local', 'phone.*', '*', 'phone', 'keys', 'press', 'signal phone.offhook, phone.keypad or phone.onhook that no wait takes');
