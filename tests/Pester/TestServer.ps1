# A loopback HTTP server for the Pester tests, on HttpListener: files from a folder with Range support, an optional
# per-response rate, and /status/NNN answers. A URL with ?once=TOKEN is served once; later requests with the same
# token get 403, as a signed URL that expired part-way through a download does. Several thread jobs take requests from one listener, so a download's
# parallel range requests are served in parallel, as a real server would. Stop-TestServer stops the listener first:
# a worker blocked in GetContext() only returns when the listener stops, and Stop-Job alone would wait for it.
function Start-TestServer {
    param([string] $Root, [int] $BytesPerSecond = 0, [int] $Workers = 8)
    $port = Get-Random -Minimum 20000 -Maximum 40000
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    # ThreadJob's throttle is one limit for the whole process, set by the last call: count the workers of every
    # server already running, or a second server's workers would wait in ThreadJob's queue, never taking a request.
    $used = [System.Collections.Concurrent.ConcurrentDictionary[string, int]]::new()
    $running = @(Get-Job | Where-Object { $_.PSJobTypeName -eq 'ThreadJob' -and $_.State -in 'Running', 'NotStarted' }).Count
    $jobs = foreach ($i in 1..$Workers) {
        Start-ThreadJob -ThrottleLimit ($running + $Workers + 4) -ArgumentList $listener, $Root, $BytesPerSecond, $used -ScriptBlock {
            param($listener, $root, $rate, $used)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $response = $context.Response
                try {
                    $path = Join-Path $root ($context.Request.Url.AbsolutePath.TrimStart('/'))
                    if ($context.Request.Url.AbsolutePath -like '/status/*') {
                        $response.StatusCode = [int]($context.Request.Url.AbsolutePath -split '/')[2]
                        continue
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
                    while ($offset -le $end) {
                        $n = [Math]::Min(65536, $end - $offset + 1)
                        $response.OutputStream.Write($bytes, $offset, $n)
                        $offset += $n
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
    [pscustomobject]@{ Listener = $listener; Jobs = $jobs; BaseUri = "http://127.0.0.1:$port" }
}

function Stop-TestServer {
    param($Server)
    $Server.Listener.Stop()
    $Server.Jobs | Wait-Job -Timeout 10 | Out-Null
    $Server.Jobs | Remove-Job -Force -ErrorAction SilentlyContinue
    $Server.Listener.Close()
}
