New-CsVoiceNormalizationRule -Parent Global -Name "AddPlus1" -Pattern "^(\d{10})$" -Translation "+1`$1" -IsInternalExtension $false
New-CsInboundBlockedNumberPattern -Name "BlockRange1" -Enabled $True -Pattern "^\+?1312555\d{4}$"
