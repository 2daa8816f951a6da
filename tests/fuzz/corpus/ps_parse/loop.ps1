foreach ($u in $users) { Grant-CsOnlineVoiceRoutingPolicy -Identity $u -PolicyName "US Only" }
