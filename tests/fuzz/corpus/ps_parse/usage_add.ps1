Set-CsOnlinePstnUsage -Identity Global -Usage @{Add="US and Canada"}
