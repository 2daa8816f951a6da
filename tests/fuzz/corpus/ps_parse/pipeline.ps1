Get-CsOnlineUser "Spencer Low" | select OnlineVoiceRoutingPolicy
