"""Writes the module's MAML help (en-US/Downloader.PowerShell.dll-Help.xml) from the tables below.

Kept as a script so the help stays readable prose; run it after changing a cmdlet's parameters:
    python3 src/Downloader.PowerShell/Module/make-help.py
The tables cannot drift silently: Downloader.Module.Tests/HelpTests.cs fails when a cmdlet of the built assembly has
a parameter the help lacks, the help names one that does not exist or gives it another type, or a stated default
differs from DownloadOptions'.
"""
import os
from xml.sax.saxutils import escape

# The parameters DownloadCmdletBase owns, described once for Start-Download, Start-DownloadStream and
# Resume-Download. Defaults stated here are DownloadOptions' (Downloader.Core); HelpTests checks that they agree and
# that every cmdlet's parameters, read from the built assembly, are exactly the ones documented.
SHARED = [
    ("Headers", "IDictionary", "Extra request headers. Authorization and Cookie go to the original host only."),
    ("UserAgent", "string", "The User-Agent header (default Downloader/VERSION)."),
    ("Credential", "PSCredential", "Basic credentials, sent to the original host only."),
    ("Proxy", "Uri", "The proxy for every request, loopback included (http://host:port). A user:password@ in it is the "
     "proxy's credential (refused beside -ProxyCredential). Without -Proxy the system or environment proxy applies "
     "(HTTP_PROXY, HTTPS_PROXY, NO_PROXY, or the Windows settings)."),
    ("ProxyCredential", "PSCredential", "The proxy's credential (Basic, NTLM or Negotiate, as the proxy asks); also for the "
     "system or environment proxy when -Proxy is not given. A 407 without one names this parameter."),
    ("ProxyUseDefaultCredentials", "switch", "Sign in to the proxy with the caller's own identity."),
    ("NoProxy", "switch", "No proxy at all, not even the system or environment one. Refused beside -Proxy."),
    ("UseDefaultCredentials", "switch", "Sign in to the URL's own origin with the caller's identity (Negotiate: Kerberos or "
     "NTLM). On Windows that is the signed-in user; on Linux and macOS a Kerberos ticket (kinit), and without one the "
     "server's 401 says so. Never sent to another host after a redirect."),
    ("Authentication", "DownloadAuthentication", "Basic (with -Credential), Bearer or OAuth (with -Token), as Invoke-WebRequest. "
     "Refused over plain http unless -AllowUnencryptedAuthentication is given."),
    ("Token", "SecureString", "The token for -Authentication Bearer or OAuth, sent to the URL's own origin only."),
    ("AllowUnencryptedAuthentication", "switch", "Send -Credential, -Token or the caller's identity over plain http, which is refused otherwise."),
    ("Certificate", "X509Certificate", "A client certificate, with its private key, for servers that ask for one."),
    ("CertificateThumbprint", "string", "A client certificate from Cert:\\CurrentUser\\My, by thumbprint."),
    ("TrustedCertificateAuthority", "X509Certificate2[]", "CA certificates trusted for this command only, besides the system's "
     "(a company CA); the machine's store is not changed and the server's name must still match. A path converts: "
     "-TrustedCertificateAuthority ./company-ca.pem."),
    ("WebSession", "PSObject", "An Invoke-WebRequest session (its -SessionVariable): its cookies, headers, user agent, "
     "credentials, client certificates and proxy apply; parameters given here win. Cookies set while downloading go into it."),
    ("SessionVariable", "string", "The name of a variable that receives a WebRequestSession for Invoke-WebRequest -WebSession, "
     "holding the cookies the downloads set. Alias SV."),
    ("SkipCertificateCheck", "switch", "Skip TLS certificate validation."),
    ("MaximumRetryCount", "int", "Retries of a failing connection (default 5); resets, DNS failures, stalls, 408, 429 and 5xx are retried."),
    ("RetryIntervalSec", "int", "The first retry delay in seconds (default 1); later ones back off exponentially, or follow Retry-After."),
    ("TimeoutSec", "int", "Seconds to wait for the server's answer, and for data once it flows, before a connection is retried (default 30)."),
    ("MaximumBytesPerSecond", "long", "One bandwidth cap for all connections of the command (default 0: none)."),
    ("ConnectionsPerFile", "int", "Most connections for one file (default 8). For a single URL given on the command line, "
     "the command may use that many in all, so -ConnectionsPerFile 32 gets 32 connections, as the CLI's -x 32 does."),
]


def shared(**descriptions):
    """The shared parameters, with some descriptions replaced for one cmdlet."""
    return [(name, ptype, descriptions.get(name, desc)) for name, ptype, desc in SHARED]


CMDLETS = [
    ("Start", "Download",
     "Downloads URLs over many connections, resumably, as a PowerShell job.",
     "Downloads every URL it receives, from the pipeline or -Uri, with at most -Threads connections in use at once. "
     "Big files are split over up to -ConnectionsPerFile connections; an interrupted download continues where it "
     "stopped when the same command runs again. Writes one result object per file; a failed item becomes a "
     "non-terminating error with an ErrorId such as Downloader.HttpStatus and the URL as target. With -AsJob it "
     "returns the job at once; otherwise Ctrl+C stops it and keeps partial files for resuming.",
     [("Uri", "string[]", "The URLs. Binds strings from the pipeline and the Url, Uri or Source property of objects (Import-Csv)."),
      ("Destination", "string", "A folder (default: the current location), created when missing. It names a file only for a single "
       "URL given as -Uri on the command line, or for one record through its Destination or OutFile property (Import-Csv); "
       "with piped URLs or several -Uri it is always a folder, so each file keeps its own name (a warning says so when a "
       "missing path looks like a file name, such as out.zip). A -Destination on the command line takes the place of every "
       "record's OutFile column. A path ending with a separator is always a folder. Alias OutFile."),
      ("Hash", "string", "The expected hash: ALGORITHM:HEX with sha256, sha512, sha384, sha1 or md5 (case-insensitive; sha-256 also "
       "accepted), or 64 hex digits for SHA-256. The item fails and keeps nothing when the content differs; a malformed "
       "value fails that item only. Binds the Hash or Sha256 property of objects (Import-Csv). Alias Sha256 (the old name, "
       "which still works). The result carries Hash and HashAlgorithm, and Sha256 when the algorithm is SHA-256."),
      ("ChecksumFile", "string", "A SHA256SUMS-style file, read before anything starts: GNU lines ('HEX  NAME' or 'HEX *NAME', "
       "the algorithm told by the digest's length: 32 MD5, 40 SHA1, 64 SHA256, 96 SHA384, 128 SHA512) and BSD lines "
       "('SHA256 (NAME) = HEX', also SHA512, SHA384, SHA1, MD5); blank lines and # comments are skipped. Each item whose "
       "file name the file lists (exactly, or before ' (1)' was added) is checked against it; an item it does not list is "
       "downloaded unchecked, and an item's own -Hash wins over the file. A line that is neither format stops the "
       "command, naming the file and the line."),
      ("Mirror", "string[]", "Other URLs of the same file, for one -Uri. The connections are spread round-robin over the URL and "
       "its mirrors (each host's connection limit holds); every mirror must have the same size, and a source that fails, "
       "sends a wrong range or size, or is more than 5 times slower per connection than another is dropped and the others finish the file. "
       "Binds a Mirror or Mirrors property by name: one CSV cell holds several URLs separated by spaces or ';'. "
       "The result's Sources lists each source and the bytes it gave. Credentials (-Credential, Authorization and "
       "Cookie headers) go to the URL's host only; a mirror uses only the user:password in its own URL."),
      ("Threads", "int", "Connections the whole batch may use at once (default 8; for a single URL, at least -ConnectionsPerFile). Alias ThrottleLimit."),
      ("Priority", "DownloadPriority", "Normal (the default) or Foreground: take what the connections get (the two behave the same). "
       "Background: use only what other traffic leaves idle. It starts slowly and grows while the link's queueing delay stays "
       "under a few milliseconds, and slows down and sheds connections within a fraction of a second when the delay rises "
       "(other traffic appeared), down to 32 KB/s; it grows back when the link is idle again. Change it while the download "
       "runs with Set-Download -Priority."),
      ("InMemory", "switch", "Return the content as bytes in the result's Content property instead of writing a file."),
      ("MaximumInMemorySize", "long", "The largest in-memory item (default 256 MiB); a larger one fails."),
      ("AsJob", "switch", "Return a DownloadJob at once; use Receive-Job, Wait-Job, Stop-Job and Remove-Job on it."),
      ("Persist", "switch", "Put each item into the user's durable queue and return at once, one PersistedDownload per item; a background "
       "worker, started detached from this session if none runs, downloads them with the same engine and resume files, and goes on "
       "when this session closes. Get-Download -Persisted, Suspend-, Resume- and Stop-Download -Persisted steer them from any "
       "session. An item with a secret (a URL password, -Credential, -Token, a secret header, a client certificate, cookies) or a "
       "session-only setting (-RefreshUrl, -ChecksumFile, -InMemory) is refused with an error naming it: the queue is plain files."),
      ("Name", "string", "The job's name."),
      ("Force", "switch", "Overwrite existing files. Without it an unchanged file is skipped (304) and a changed one saved as 'name (1).ext'."),
      ("Durable", "switch", "Flush each file to disk before it gets its name, so a power loss never takes back a finished file. "
       "Without it (Linux) a file is renamed once written and a run that reaches its end makes its files durable in one step; "
       "after a power loss the next run downloads again the files of a run that had not ended. Each file then costs no wait for the disk."),
      ("Accept", "string[]", "Accepted content types, such as image/*; an item of another type fails and leaves no file."),
      ("RefreshUrl", "ScriptBlock", "Gives a new URL when a signed URL expires part-way: when a source answers 401, 403 or 410 after "
       "the download began, the scriptblock is called as param($Item) ($Item.Url, CurrentUrl, StatusCode, Attempt, Path) and returns "
       "the new URL as a string or Uri; the download continues from the bytes on disk, checked with If-Range against the same "
       "ETag/Last-Modified (a changed file starts over, never spliced). It runs on this command's pipeline thread, in your "
       "session (your variables and modules), one call at a time per file. The same URL, no URL, a non-http(s) URL, more than 5 "
       "refreshes for one file, or a throw fails that item with a clear error; the others carry on. Not with -AsJob: a job "
       "outlives the pipeline thread the scriptblock needs (run a foreground Start-Download inside Start-ThreadJob instead).")]
     + shared(),
     [("Get-Content urls.txt | Start-Download -Threads 10", "Downloads every URL in urls.txt into the current folder, ten connections at a time."),
      ("Import-Csv list.csv | Start-Download", "Each row's Url, OutFile (or Destination) and Hash (or Sha256) columns bind by name; "
       "a -Destination on the command line would take the place of every row's OutFile."),
      ("Start-Download https://example.com/tool.zip -Hash sha512:9b71d224bd62f378...", "Checks the download's SHA-512."),
      ("Get-Content urls.txt | Start-Download -ChecksumFile .\\SHA256SUMS", "Checks every file SHA256SUMS lists; others are downloaded unchecked."),
      ("$job = Start-Download https://example.com/big.iso -AsJob; Wait-Job $job; Receive-Job $job", "Runs the download as a job."),
      ("(Start-Download https://example.com/data.json -InMemory).Content", "Downloads into memory and returns the bytes."),
      ("Start-Download (Get-SignedUrl big.iso) -RefreshUrl { param($Item) Get-SignedUrl big.iso }",
       "Downloads from a signed URL (S3, Azure SAS, a CDN token) and signs a new one whenever it expires mid-way; Get-SignedUrl stands for your own signing command."),
      ("(Start-Download https://a.example.com/big.iso -Mirror https://b.example.org/big.iso).Sources", "Fetches one file from two hosts at once and shows the bytes each gave.")]),
    ("Start", "DownloadStream",
     "Watch while downloading: serves a media file to a player on a local URL, with seeking.",
     "Starts a job that downloads the file in play order over several connections (head and tail first, for MP4 files "
     "that keep their index at the end) and serves it on http://127.0.0.1:PORT/TOKEN/NAME, where TOKEN is a random "
     "128-bit secret: only that URL is served, to loopback names only, so no other program or web page can read the "
     "file. Give that URL to mpv, VLC or a "
     "browser; seeking moves the connections to the new position, and nothing fetched is fetched again. "
     "Stop-Download ends the job and keeps the partial file for resuming unless -DeletePartial.",
     [("Uri", "string", "The media URL. Aliases Url, Source."),
      ("Destination", "string", "A folder (default: the current location), or a file path. Alias OutFile."),
      ("Port", "int", "Local port (default: any free port)."),
      ("BindAddress", "string", "Address to listen on (default 127.0.0.1; another address exposes the file to the network)."),
      ("Name", "string", "The job's name.")]
     + shared(),
     [("$s = Start-DownloadStream https://example.com/movie.mp4; mpv $s.Url", "Plays the movie while it downloads."),
      ("Stop-Download -Job $s.Job", "Stops serving and downloading; the partial file stays for resuming.")]),
    ("Get", "Download",
     "Lists this session's downloads with live state, bytes, percent, speed and ETA.",
     "Writes one DownloadInfo per download of this PowerShell process: running and suspended ones, -AsJob jobs until Remove-Job, and the last 20 finished foreground Start-Download runs. Its Job property is the job itself.",
     [("Id", "int[]", "Select by job id."), ("Name", "string[]", "Select by job name; wildcards allowed."), ("Job", "DownloaderJob[]", "Select from the pipeline."),
      ("Persisted", "switch", "Act on the user's durable queue (Start-Download -Persist) instead of this session's jobs: the same entries from any session or process, selected by -Id or -Name."), ("Entry", "PersistedDownload[]", "Queue entries from the pipeline (Start-Download -Persist, Get-Download -Persisted)."),
      ("Result", "switch", "With -Persisted: each finished entry's result, the same DownloadItem Start-Download writes, and each failed entry's error record.")],
     [("Get-Download", "Lists all downloads."), ("Get-Download -Name nightly* | Format-List", "Shows the nightly downloads in detail.")]),
    ("Suspend", "Download",
     "Pauses downloads; transfer stops within moments and bytes on disk are kept.",
     "Cancels every in-flight request of the selected downloads and starts no new item until Resume-Download. A pause may last any time. Note: Wait-Job returns when a job is suspended.",
     [("Id", "int[]", "Select by job id."), ("Name", "string[]", "Select by job name; wildcards allowed."), ("Job", "DownloaderJob[]", "Select from the pipeline."), ("PassThru", "switch", "Write the job."),
      ("Persisted", "switch", "Suspend entries of the user's durable queue (Start-Download -Persist) instead of this session's jobs: the same entries from any session or process, selected by -Id or -Name."), ("Entry", "PersistedDownload[]", "Queue entries from the pipeline (Start-Download -Persist, Get-Download -Persisted).")],
     [("Suspend-Download -Id 3", "Pauses download job 3."), ("Get-Download | Suspend-Download", "Pauses everything.")]),
    ("Set", "Download",
     "Changes the rate cap, connections or priority of running downloads or queue entries.",
     "Changes the selected downloads while they run: a new -MaximumBytesPerSecond applies to the next bytes read, fewer "
     "connections close the extra ones at the end of their current request (about a second), and -Priority Background "
     "starts yielding the link at once. -ConnectionsPerFile can be raised back up to what the download started with per "
     "file, or in all (-Threads), whichever is more; -Threads can be lowered (connections in use finish their request "
     "first) and raised, though one server never gets more connections than the download started with. Get-Download "
     "shows the values in effect. Streams (Start-DownloadStream) are not changed. With -Persisted or queue entries from "
     "the pipeline it changes entries of the durable queue from any session: the entry keeps the new values, and a worker "
     "running the entry applies them to its download within a second (-Threads, for an entry queued without it, from "
     "its next start).",
     [("Id", "int[]", "Select by job id."), ("Name", "string[]", "Select by job name; wildcards allowed."), ("Job", "DownloaderJob[]", "Select from the pipeline (Get-Download's output)."),
      ("MaximumBytesPerSecond", "long", "The new bandwidth cap for all connections of the download; 0 for none."),
      ("ConnectionsPerFile", "int", "The new most connections for one file."),
      ("Threads", "int", "The new most connections in use at once, across the download's files. Alias ThrottleLimit."),
      ("Priority", "DownloadPriority", "Foreground, Normal or Background (see Start-Download -Priority)."),
      ("Persisted", "switch", "Change entries of the user's durable queue (Start-Download -Persist) instead of this session's jobs, selected by -Id or -Name; a worker running one applies the change to its download."),
      ("Entry", "PersistedDownload[]", "Queue entries from the pipeline (Start-Download -Persist, Get-Download -Persisted)."),
      ("PassThru", "switch", "Write the job, or the queue entry with its new values.")],
     [("Set-Download -Id 3 -MaximumBytesPerSecond 1MB", "Caps download job 3 at 1 MB/s from now on."),
      ("Get-Download | Set-Download -Priority Background", "Lets every running download yield the link to other traffic."),
      ("Get-Download -Persisted | Set-Download -MaximumBytesPerSecond 2MB", "Caps every entry of the durable queue at 2 MB/s; the worker's running downloads follow within a second.")]),
    ("Resume", "Download",
     "Continues suspended downloads, or a partial download left by a closed or crashed session.",
     "With -Id, -Name or a job from the pipeline it resumes suspended downloads, with the options they started with. "
     "With -Path it reads the .downloader state file next to a partial download and continues it from the bytes on "
     "disk; the HTTP and connection parameters apply to -Path only, as a new download's would.",
     [("Id", "int[]", "Select by job id."), ("Name", "string[]", "Select by job name; wildcards allowed."), ("Job", "DownloaderJob[]", "Select from the pipeline."),
      ("Path", "string", "The file being downloaded: its final name, .part file or .downloader state file."), ("AsJob", "switch", "With -Path, run as a job."), ("PassThru", "switch", "Write the job."),
      ("Persisted", "switch", "Resume suspended or failed entries of the user's durable queue (Start-Download -Persist) instead of this session's jobs: the same entries from any session or process, selected by -Id or -Name."), ("Entry", "PersistedDownload[]", "Queue entries from the pipeline (Start-Download -Persist, Get-Download -Persisted).")]
     + shared(
         Headers="With -Path: request headers, added to the non-secret ones the state file kept; secret ones (Authorization, Cookie, API keys) must be given again.",
         UserAgent="With -Path: the User-Agent header (default: the one the download started with).",
         Credential="With -Path: the Basic credentials the download needed; the state file never keeps one."),
     [("Resume-Download -Id 3", "Continues download job 3."), ("Resume-Download -Path .\\big.iso", "Continues big.iso after a crash or reboot.")]),
    ("Stop", "Download",
     "Cancels downloads; partial files stay for a later resume unless -DeletePartial.",
     "Stops every transfer of the selected downloads and returns once they have ended (at most 10 s), as Stop-Job does. Their .part and .downloader files stay, so running the same Start-Download again, or Resume-Download -Path, continues them right away.",
     [("Id", "int[]", "Select by job id."), ("Name", "string[]", "Select by job name; wildcards allowed."), ("Job", "DownloaderJob[]", "Select from the pipeline."),
      ("DeletePartial", "switch", "Delete the partial files too."),
      ("Finish", "switch", "For a Start-DownloadStream job: stop serving but let the download finish; the job then completes with the file's result."),
      ("PassThru", "switch", "Write the job."),
      ("Persisted", "switch", "Stop entries of the user's durable queue (Start-Download -Persist) instead of this session's jobs: the same entries from any session or process, selected by -Id or -Name."), ("Entry", "PersistedDownload[]", "Queue entries from the pipeline (Start-Download -Persist, Get-Download -Persisted).")],
     [("Stop-Download -Name nightly", "Stops the download job named nightly and keeps its partial files."),
      ("Stop-Download -Job $s.Job -Finish", "Stops serving a stream and keeps downloading until the file is complete.")]),
    ("Register", "DownloadService",
     "Installs the per-user OS trigger that starts the download queue's worker at logon and at startup.",
     "Writes and registers, for the current user and without admin rights: a systemd user unit (~/.config/systemd/user/downloader-queue.service; "
     "with 'loginctl enable-linger' it also starts at boot before anyone logs in) on Linux, a launchd agent "
     "(~/Library/LaunchAgents/org.downloader.queue.plist) on macOS, a Task Scheduler task (\\Downloader\\Queue, at logon and at startup) on Windows. "
     "The trigger starts this PowerShell with this module's worker, which works the queue until it is empty. When the OS tool "
     "cannot register it (no user service manager), a warning names the command to run; the definition is written either way.",
     [],
     [("Register-DownloadService", "Installs the trigger for this OS and writes where its definition is.")]),
    ("Unregister", "DownloadService",
     "Removes the OS trigger Register-DownloadService installed; the queue and its entries stay.",
     "Takes the trigger out of the OS's service manager and deletes its definition. Downloads in the queue stay; a worker "
     "still starts with the next Start-Download -Persist or Resume-Download -Persisted.",
     [],
     [("Unregister-DownloadService", "Removes the trigger.")]),
]

def para(text):
    return f"<maml:para>{escape(text)}</maml:para>"

out = ['<?xml version="1.0" encoding="utf-8"?>',
       '<helpItems schema="maml" xmlns="http://msh">']
for verb, noun, synopsis, description, params, examples in CMDLETS:
    name = f"{verb}-{noun}"
    out.append('  <command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" '
               'xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" '
               'xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    out.append(f'    <command:details><command:name>{name}</command:name><command:verb>{verb}</command:verb>'
               f'<command:noun>{noun}</command:noun><maml:description>{para(synopsis)}</maml:description></command:details>')
    out.append(f'    <maml:description>{para(description)}</maml:description>')
    out.append('    <command:syntax><command:syntaxItem>')
    out.append(f'      <maml:name>{name}</maml:name>')
    for pname, ptype, _ in params:
        out.append(f'      <command:parameter required="false"><maml:name>{pname}</maml:name>'
                   f'<command:parameterValue required="true">{escape(ptype)}</command:parameterValue></command:parameter>')
    out.append('    </command:syntaxItem></command:syntax>')
    out.append('    <command:parameters>')
    for pname, ptype, pdesc in params:
        out.append(f'      <command:parameter required="false"><maml:name>{pname}</maml:name>'
                   f'<maml:description>{para(pdesc)}</maml:description>'
                   f'<command:parameterValue required="true">{escape(ptype)}</command:parameterValue></command:parameter>')
    out.append('    </command:parameters>')
    out.append('    <command:examples>')
    for i, (code, remark) in enumerate(examples, 1):
        out.append(f'      <command:example><maml:title>-------------------------- Example {i} --------------------------</maml:title>'
                   f'<dev:code>{escape(code)}</dev:code><dev:remarks>{para(remark)}</dev:remarks></command:example>')
    out.append('    </command:examples>')
    out.append('    <maml:relatedLinks><maml:navigationLink><maml:linkText>about_Downloader</maml:linkText></maml:navigationLink></maml:relatedLinks>')
    out.append('  </command:command>')
out.append('</helpItems>')
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'en-US', 'Downloader.PowerShell.dll-Help.xml'), 'w').write('\n'.join(out) + '\n')
