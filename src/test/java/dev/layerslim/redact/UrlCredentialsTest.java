package dev.layerslim.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The credentials of an index URL in each of its forms and spellings. */
class UrlCredentialsTest {
  @Test
  void secrets_userOnly_userPassword_loneUser_andCredentialQueryParameters() {
    Set<String> s = UrlCredentials.secrets("-i http://TOKEN1abc:@h/simple --extra-index-url https://u:PASS2abc@h/s "
        + "http://LONE3abc@h 'https://h/s?token=QRY4abc&page=1&access_token=QRY5abc' https://h/?Api-Key=QRY6abc");
    assertTrue(s.containsAll(List.of("TOKEN1abc", "PASS2abc", "LONE3abc", "QRY4abc", "QRY5abc", "QRY6abc")), s.toString());
    assertFalse(s.contains("u") || s.contains("1") || s.contains("h"), s.toString());
  }

  @Test
  void secrets_percentEncodedValues_comeWithTheirDecodedAndReEncodedSpellings() {
    Set<String> s = UrlCredentials.secrets("https://__token__:p%40ss%2fw0rd%2B@h/simple");
    assertTrue(s.containsAll(List.of("p%40ss%2fw0rd%2B", "p@ss/w0rd+", "p%40ss%2Fw0rd%2B")), s.toString());
  }

  @Test
  void scrub_blanksUserInfoAndCredentialQueryValues_inAnyUrlOfAText() {
    assertEquals("Looking in indexes: http://***@h:8080/simple?token=***&page=1, https://pypi.org/simple",
        UrlCredentials.scrub("Looking in indexes: http://TOKEN:****@h:8080/simple?token=abc&page=1, "
            + "https://pypi.org/simple"));
    assertEquals("x 'https://***@h/a?X-Amz-Signature=***#f' y",
        UrlCredentials.scrub("x 'https://a:b@h/a?X-Amz-Signature=s1#f' y"));
    assertEquals("no url: user:pass@host token=abc", UrlCredentials.scrub("no url: user:pass@host token=abc"));
    assertEquals("http://***@h/a http://***@k/b", UrlCredentials.scrub("http://a@h/a http://b:c@k/b"));
    // pip lists its indexes with ", ": the comma stays
    assertEquals("in: http://***@h/s?token=***, file:///x (see https://h/?key=***).",
        UrlCredentials.scrub("in: http://T@h/s?token=abc, file:///x (see https://h/?key=k1)."));
  }
}
