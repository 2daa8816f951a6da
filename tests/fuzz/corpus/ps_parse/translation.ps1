New-CsTeamsTranslationRule -Identity 'AddPlus1' -Pattern '^(\d{10})$' -Translation '+1$1'
Test-CsTeamsTranslationRule -PhoneNumber 4255550100
