New-CsOnlineVoiceRoute -Identity “Other +1” -NumberPattern “^\+1(\d{10})$” `
  –OnlinePstnGatewayList sbc5.contoso.com, sbc6.contoso.com -OnlinePstnUsages ‘US and Canada’
