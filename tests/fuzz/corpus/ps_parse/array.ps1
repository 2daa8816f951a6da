Set-CsOnlinePstnUsage -Usage @(
  "a",
  "b"
) -ErrorAction Stop
Set-CsUser -Identity "x@contoso.com" -EnterpriseVoiceEnabled $true -HostedVoiceMail $true -OnPremLineURI tel:+14255388797
