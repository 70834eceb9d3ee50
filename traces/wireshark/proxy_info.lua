-- Wireshark/tshark dissector for the TLS proxy_info extension (draft-mcgrew-tls-proxy-server-01,
-- as this project encodes it: DEC-1 wire format, DEC-3 flags, DEC-5 signature, DEC-6 certificate lists).
--
--   tshark -X lua_script:traces/wireshark/proxy_info.lua -r CAPTURE -Y proxy_info -O proxy_info
--   (Wireshark: copy it to your personal Lua plugins folder, Help > About > Folders.)
--
-- A post-dissector: it finds the extension of type proxy_info.code_point (DEC-2 default 65360;
-- set 65445 for captures made before DEC-2's revision: -o proxy_info.code_point:65445) in the TLS
-- dissection and shows its fields, filterable by name: proxy_info.flag, proxy_info.hop,
-- proxy_info.tls_version, proxy_info.cipher_suite, proxy_info.compression_method,
-- proxy_info.certificate, proxy_info.server_random, proxy_info.revocation_checking_performed,
-- proxy_info.signature_algorithm, proxy_info.signature.

local p = Proto("proxy_info", "TLS proxy_info (draft-mcgrew-tls-proxy-server-01)")

local flags = { [0] = "client_to_proxy", [1] = "proxy_to_client", [2] = "proxy_to_server", [3] = "server_to_proxy" }

local f = {
  flag = ProtoField.uint8("proxy_info.flag", "ProxyInfoFlag", base.DEC, flags),
  hop = ProtoField.uint8("proxy_info.hop", "Hop (nesting depth, 1 = the proxy next to the client)", base.DEC),
  tls_version = ProtoField.uint16("proxy_info.tls_version", "tls_version", base.HEX),
  cipher_suite = ProtoField.uint16("proxy_info.cipher_suite", "cipher_suite", base.HEX),
  compression = ProtoField.uint8("proxy_info.compression_method", "compression_method", base.DEC),
  chain_len = ProtoField.uint24("proxy_info.certificate_list_length", "certificate_list length", base.DEC),
  cert = ProtoField.bytes("proxy_info.certificate", "ASN.1Cert"),
  server_random = ProtoField.bytes("proxy_info.server_random", "server_random"),
  revocation = ProtoField.bool("proxy_info.revocation_checking_performed", "revocation_checking_performed"),
  sig_alg = ProtoField.uint16("proxy_info.signature_algorithm", "signature algorithm (SignatureScheme)", base.HEX),
  sig = ProtoField.bytes("proxy_info.signature", "signature"),
  malformed = ProtoField.string("proxy_info.malformed", "Malformed proxy_info"),
}
p.fields = f
p.prefs.code_point = Pref.uint("ExtensionType code point", 65360, "proxy_info code point (DEC-2; 65445 before its revision)")

local f_type = Field.new("tls.handshake.extension.type")
local f_data = Field.new("tls.handshake.extension.data")

local parse

local function cert_list(r, off, tree, label)
  local len = r(off, 3):uint()
  local sub = tree:add(f.chain_len, r(off, 3)):set_text(label .. " (" .. len .. " bytes)")
  local pos, stop = off + 3, off + 3 + len
  while pos < stop do
    local clen = r(pos, 3):uint()
    sub:add(f.cert, r(pos + 3, clen))
    pos = pos + 3 + clen
  end
  return stop
end

local function signature(r, off, tree)
  tree:add(f.sig_alg, r(off, 2))
  local slen = r(off + 2, 2):uint()
  tree:add(f.sig, r(off + 4, slen))
  return off + 4 + slen
end

-- one ProxyInfo at off; returns the offset after it
parse = function(r, off, tree, hop)
  local flag = r(off, 1):uint()
  local t = tree:add(p, r(off), "ProxyInfo (" .. (flags[flag] or "unknown flag") .. ")")
  t:add(f.flag, r(off, 1))
  t:add(f.hop, hop)
  off = off + 1
  if flag == 1 then -- proxy_to_client: SignedProxyInfo
    t:add(f.tls_version, r(off, 2)); t:add(f.cipher_suite, r(off + 2, 2)); t:add(f.compression, r(off + 4, 1))
    off = cert_list(r, off + 5, t, "server_certificate_list")
    t:add(f.server_random, r(off, 32))
    t:add(f.revocation, r(off + 32, 1))
    off = parse(r, off + 33, t, hop + 1)
    off = signature(r, off, t)
  elseif flag == 2 then -- proxy_to_server
    off = cert_list(r, off, t, "proxy_certificate_list")
    off = parse(r, off, t, hop + 1)
    off = signature(r, off, t)
  end
  return off
end

function p.dissector(tvb, pinfo, tree)
  local types = { f_type() }
  local datas = { f_data() }
  for _, ty in ipairs(types) do
    if ty.value == p.prefs.code_point then
      for _, d in ipairs(datas) do
        if d.offset == ty.offset + 4 and d.source == ty.source then
          local r = d.range
          local ok, err = pcall(parse, r, 0, tree, 1)
          if not ok then tree:add(f.malformed, "cannot decode: " .. tostring(err)) end
        end
      end
    end
  end
end

register_postdissector(p)
