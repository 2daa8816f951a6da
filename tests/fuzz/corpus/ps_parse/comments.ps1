# comment
<# block
comment #>
New-CsOnlinePSTNGateway -Fqdn sbc1.contoso.com -SipSignallingPort 5061 -Enabled:$true -MaxConcurrentSessions $null; Get-CsOnlinePSTNGateway
