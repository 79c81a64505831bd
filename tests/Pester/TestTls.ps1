# A private CA, a server certificate for 127.0.0.1 and a client certificate it signed, and an HTTPS front for a
# loopback test server (TestServer.ps1): each connection's TLS is ended here and its bytes relayed to the plain origin,
# which keeps serving ranges, auth and cookies. With -ClientCa, a connection without a client certificate that CA
# signed is closed after the handshake, before any byte reaches the origin. Dot-sourced by Examples.Tests.ps1.

function New-TestPki([string] $Folder) {
    $ecdsa = { [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256) }
    $sha = [System.Security.Cryptography.HashAlgorithmName]::SHA256
    $now = [DateTimeOffset]::UtcNow.AddMinutes(-5)
    $caRequest = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Downloader Test CA', (& $ecdsa), $sha)
    $caRequest.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $ca = $caRequest.CreateSelfSigned($now, $now.AddDays(2))
    $issue = {
        param([string] $Name, [string] $Usage, [bool] $Server)
        $key = & $ecdsa
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Name", $key, $sha)
        $oids = [System.Security.Cryptography.OidCollection]::new(); $null = $oids.Add([System.Security.Cryptography.Oid]::new($Usage))
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($oids, $false))
        if ($Server) {
            $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
            $san.AddIpAddress([System.Net.IPAddress]::Loopback)
            $request.CertificateExtensions.Add($san.Build())
        }
        $serial = [byte[]]::new(8); [System.Random]::Shared.NextBytes($serial)
        [System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::CopyWithPrivateKey($request.Create($ca, $now, $now.AddDays(1), $serial), $key)
    }
    $server = & $issue '127.0.0.1' '1.3.6.1.5.5.7.3.1' $true
    $client = & $issue 'alice' '1.3.6.1.5.5.7.3.2' $false
    $pki = [pscustomobject]@{
        Ca = $ca; Server = $server; Client = $client
        CaPem = Join-Path $Folder 'company-ca.pem'; ClientPfx = Join-Path $Folder 'me.pfx'
    }
    [System.IO.File]::WriteAllText($pki.CaPem, $ca.ExportCertificatePem())
    [System.IO.File]::WriteAllBytes($pki.ClientPfx, $client.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12))
    # SslStream on Linux wants the server's key in a PKCS#12-loaded certificate, not an ephemeral one.
    $pki.Server = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12($server.Export('Pkcs12'), $null)
    $pki
}

function Start-TlsFront {
    param([string] $Target, $Certificate, $ClientCa, [int] $Workers = 4)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $targetPort = ([uri]$Target).Port
    $clients = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
    # Each worker does one handshake at a time, then leaves the two copies to the thread pool and takes the next
    # connection, so a download's parallel connections are all relayed at once.
    $jobs = foreach ($i in 1..$Workers) {
        Start-ThreadJob -ThrottleLimit 100 -ArgumentList $listener, $targetPort, $Certificate, $ClientCa, $clients -ScriptBlock {
            param($listener, $targetPort, $certificate, $clientCa, $clients)
            while ($true) {
                try { $tcp = $listener.AcceptTcpClient() } catch { break }
                try {
                    $ssl = [System.Net.Security.SslStream]::new($tcp.GetStream(), $false, { $true })
                    $options = [System.Net.Security.SslServerAuthenticationOptions]::new()
                    $options.ServerCertificate = $certificate
                    $options.ClientCertificateRequired = [bool]$clientCa
                    $ssl.AuthenticateAsServer($options)
                    if ($clientCa) {
                        $chain = [System.Security.Cryptography.X509Certificates.X509Chain]::new()
                        $chain.ChainPolicy.TrustMode = 'CustomRootTrust'
                        $chain.ChainPolicy.RevocationMode = 'NoCheck'
                        $null = $chain.ChainPolicy.CustomTrustStore.Add($clientCa)
                        $peer = $ssl.RemoteCertificate
                        if (-not $peer -or -not $chain.Build([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($peer))) {
                            $clients.Enqueue('refused'); $ssl.Dispose(); $tcp.Dispose(); continue
                        }
                        $clients.Enqueue($chain.ChainElements[0].Certificate.Subject)
                    }
                    $upstream = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $targetPort)
                    $null = $ssl.CopyToAsync($upstream.GetStream())
                    $null = $upstream.GetStream().CopyToAsync($ssl)
                } catch {
                    $tcp.Dispose()
                }
            }
        }
    }
    [pscustomobject]@{ Listener = $listener; Jobs = $jobs; BaseUri = "https://127.0.0.1:$port"; Clients = $clients }
}

function Stop-TlsFront($Front) {
    $Front.Listener.Stop()
    $null = $Front.Jobs | Wait-Job -Timeout 10
    $Front.Jobs | Where-Object State -ne 'Running' | Remove-Job -Force -ErrorAction SilentlyContinue
}
