# A loopback HTTP server for the Pester tests: the same Kestrel origin the xunit tests use would need the test
# assembly, so this uses nginx when present, else a small HttpListener that serves files with Range support.
function Start-TestServer {
    param([string] $Root, [int] $BytesPerSecond = 0)
    $port = Get-Random -Minimum 20000 -Maximum 40000
    $job = Start-ThreadJob -ArgumentList $Root, $port, $BytesPerSecond -ScriptBlock {
        param($root, $port, $rate)
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        while ($listener.IsListening) {
            $context = $listener.GetContext()
            $path = Join-Path $root ($context.Request.Url.AbsolutePath.TrimStart('/'))
            $response = $context.Response
            if ($context.Request.Url.AbsolutePath -like '/status/*') {
                $response.StatusCode = [int]($context.Request.Url.AbsolutePath -split '/')[2]
                $response.Close()
                continue
            }
            if (-not (Test-Path $path -PathType Leaf)) { $response.StatusCode = 404; $response.Close(); continue }
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
            try {
                $offset = $start
                while ($offset -le $end) {
                    $n = [Math]::Min(65536, $end - $offset + 1)
                    $response.OutputStream.Write($bytes, $offset, $n)
                    $offset += $n
                    if ($rate -gt 0) { Start-Sleep -Milliseconds ([int](1000 * $n / $rate)) }
                }
                $response.Close()
            } catch { }
        }
    }
    Start-Sleep -Milliseconds 500
    [pscustomobject]@{ Job = $job; BaseUri = "http://127.0.0.1:$port" }
}

function Stop-TestServer {
    param($Server)
    Stop-Job $Server.Job -ErrorAction SilentlyContinue
    Remove-Job $Server.Job -Force -ErrorAction SilentlyContinue
}
