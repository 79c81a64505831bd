# A loopback HTTP server for the Pester tests, on HttpListener: files from a folder with Range support, an optional
# per-response rate, and /status/NNN answers. A URL with ?once=TOKEN is served once; later requests with the same
# token get 403, as a signed URL that expired part-way through a download does. With -HoldAfter, every response stops after that many bytes until
# Resume-TestServer (or Stop-TestServer) releases it: a download on it has data on disk but can never finish before the
# test says so, however many connections it opens and however slow the machine is. Several thread jobs take requests
# from one listener, so a download's parallel range requests are served in parallel, as a real server would.
# With -Authorization and/or -Cookie, a request is answered only when it carries one of those Authorization header
# values or that cookie (401 with a Basic challenge otherwise), and /sign-in sets the cookie, as a login page does.
# Stop-TestServer stops the listener first: a worker blocked in GetContext() only returns when the listener stops, and
# Stop-Job alone would wait for it.

# A temporary folder for one test file: www/ holds a.bin, b.bin, c.bin (200 KB) and big.bin (3 MB) of seeded random
# bytes for a test server to serve; the rest is the tests' to use. Remove-Item -Recurse the Root when done.
function New-TestSite {
    $root = Join-Path ([System.IO.Path]::GetTempPath()) "downloader-pester-$([guid]::NewGuid().ToString('N'))"
    $www = Join-Path $root 'www'
    New-Item -ItemType Directory -Path $www -Force | Out-Null
    $random = [System.Random]::new(1)
    foreach ($name in 'a.bin', 'b.bin', 'c.bin', 'big.bin') {
        $size = if ($name -eq 'big.bin') { 3MB } else { 200KB }
        $bytes = [byte[]]::new($size); $random.NextBytes($bytes)
        [System.IO.File]::WriteAllBytes((Join-Path $www $name), $bytes)
    }
    [pscustomobject]@{ Root = $root; Www = $www }
}

function Get-Sha256([string] $Path) { (Get-FileHash -Algorithm SHA256 $Path).Hash.ToLowerInvariant() }

# Waits for a condition (a file appearing, bytes arriving), looking every 20 ms, and fails when it is not met in
# time: the event a test needs, never a guess at how long it takes.
function Wait-Until([scriptblock] $Condition, [string] $What, [int] $Seconds = 30) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Not within $Seconds s: $What" }
        Start-Sleep -Milliseconds 20
    }
}

function Start-TestServer {
    param([string] $Root, [int] $BytesPerSecond = 0, [int] $Workers = 8, [long] $HoldAfter = 0,
        [string[]] $Authorization = @(), [string] $Cookie = '')
    # HttpListener cannot take port 0, so a random port is tried; one another run holds gives another try.
    for ($try = 1; ; $try++) {
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        try { $listener.Start(); break } catch { $listener.Close(); if ($try -ge 20) { throw } }
    }
    $release = [System.Threading.ManualResetEventSlim]::new($HoldAfter -le 0)
    $used = [System.Collections.Concurrent.ConcurrentDictionary[string, int]]::new()
    $auth = @{ Authorization = $Authorization; Cookie = $Cookie; Refused = [System.Collections.Concurrent.ConcurrentQueue[string]]::new() }
    # ThreadJob's throttle is one for the whole session: every server's workers must be able to run at once.
    $jobs = foreach ($i in 1..$Workers) {
        Start-ThreadJob -ThrottleLimit 100 -ArgumentList $listener, $Root, $BytesPerSecond, $HoldAfter, $release, $used, $auth -ScriptBlock {
            param($listener, $root, $rate, $holdAfter, $release, $used, $auth)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $response = $context.Response
                try {
                    $path = Join-Path $root ($context.Request.Url.AbsolutePath.TrimStart('/'))
                    if ($context.Request.Url.AbsolutePath -like '/status/*') {
                        $response.StatusCode = [int]($context.Request.Url.AbsolutePath -split '/')[2]
                        continue
                    }
                    if ($auth.Cookie -and $context.Request.Url.AbsolutePath -eq '/sign-in') {
                        $response.Headers.Add('Set-Cookie', "$($auth.Cookie); Path=/; HttpOnly")
                        $body = [System.Text.Encoding]::UTF8.GetBytes('signed in')
                        $response.ContentLength64 = $body.Length; $response.OutputStream.Write($body, 0, $body.Length)
                        continue
                    }
                    if ($auth.Cookie -or $auth.Authorization) {
                        $given = $context.Request.Headers['Authorization']
                        $cookies = @("$($context.Request.Headers['Cookie'])" -split ';\s*')
                        if (-not (($given -and $given -in $auth.Authorization) -or ($auth.Cookie -and $auth.Cookie -in $cookies))) {
                            $auth.Refused.Enqueue($context.Request.Url.AbsolutePath)
                            $response.Headers.Add('WWW-Authenticate', 'Basic realm="downloader-test"')
                            $response.StatusCode = 401
                            continue
                        }
                    }
                    if (-not (Test-Path $path -PathType Leaf)) { $response.StatusCode = 404; continue }
                    $once = $context.Request.QueryString['once']
                    if ($once -and -not $used.TryAdd($once, 0)) { $response.StatusCode = 403; continue }
                    $bytes = [System.IO.File]::ReadAllBytes($path)
                    $start = 0; $end = $bytes.Length - 1
                    $response.Headers['ETag'] = '"' + (Get-Item $path).LastWriteTimeUtc.Ticks + '"'
                    $response.Headers['Accept-Ranges'] = 'bytes'
                    if ($context.Request.Headers['Range'] -match '^bytes=(\d+)-(\d*)$') {
                        $start = [long]$Matches[1]
                        if ($Matches[2]) { $end = [Math]::Min([long]$Matches[2], $end) }
                        $response.StatusCode = 206
                        $response.Headers['Content-Range'] = "bytes $start-$end/$($bytes.Length)"
                    }
                    $response.ContentLength64 = $end - $start + 1
                    $offset = $start
                    $sent = 0
                    $holding = $holdAfter -gt 0
                    while ($offset -le $end) {
                        $n = [Math]::Min(65536, $end - $offset + 1)
                        if ($holding -and $sent -ge $holdAfter) {
                            # Bounded: a test that never releases still ends, with the download finishing late.
                            $null = $release.Wait([TimeSpan]::FromSeconds(60))
                            $holding = $false
                        } elseif ($holding) {
                            $n = [Math]::Min($n, $holdAfter - $sent)
                        }
                        $response.OutputStream.Write($bytes, $offset, $n)
                        $offset += $n
                        $sent += $n
                        if ($rate -gt 0) { Start-Sleep -Milliseconds ([int](1000 * $n / $rate)) }
                    }
                } catch {
                    # The client went away (a paused or stopped download); take the next request.
                } finally {
                    try { $response.Close() } catch { }
                }
            }
        }
    }
    [pscustomobject]@{ Listener = $listener; Jobs = $jobs; Release = $release; BaseUri = "http://127.0.0.1:$port"; Refused = $auth.Refused }
}

# Lets every held response of a -HoldAfter server go on, and serves later ones whole.
function Resume-TestServer {
    param($Server)
    $Server.Release.Set()
}

function Stop-TestServer {
    param($Server)
    $Server.Release.Set()
    $Server.Listener.Stop()
    $Server.Listener.Close()
    $null = $Server.Jobs | Wait-Job -Timeout 10
    # Remove-Job -Force on a worker still inside a .NET call waits for that call without bound (a CI run hung there
    # once): such a worker is left to end on its own, its listener closed, and never waited for.
    $Server.Jobs | Where-Object State -ne 'Running' | Remove-Job -Force -ErrorAction SilentlyContinue
}
