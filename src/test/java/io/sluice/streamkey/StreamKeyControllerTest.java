package io.sluice.streamkey;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.sluice.engine.RtmpServer;
import io.sluice.streamkey.StreamKeyDtos.CreateKeyRequest;
import io.sluice.streamkey.StreamKeyDtos.IssuedPlayToken;
import io.sluice.streamkey.StreamKeyDtos.IssuedSecret;
import io.sluice.streamkey.StreamKeyDtos.KeyPage;
import io.sluice.streamkey.StreamKeyDtos.KeyState;
import io.sluice.streamkey.StreamKeyDtos.KeyView;
import io.sluice.streamkey.StreamKeyDtos.UpdateKeyRequest;
import io.sluice.system.MethodSecurityConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The REST contract: status codes, bodies, problems; security by scope. */
@WebMvcTest(StreamKeyController.class)
@Import(MethodSecurityConfig.class)
class StreamKeyControllerTest {
    private static final String SECRET = "q3ZxSecretSecretSecretSecret0123";
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final KeyView KEY = new KeyView(7, "Main camera", "live", "main-camera", "q3Zx…", true,
            KeyState.ACTIVE, null, null, false, 1, 0, null, T0, T0, null, null);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    StreamKeyService service;

    @MockitoBean
    RtmpServer rtmp;

    @BeforeEach
    void rtmpOnPort1936() {
        when(rtmp.port()).thenReturn(1936);
    }

    private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder b, String body) {
        return b.with(csrf()).contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON).content(body);
    }

    // ---- security -------------------------------------------------------------------------------

    @Test
    void withoutAUserItIs401() throws Exception {
        mvc.perform(get("/api/keys").accept(MediaType.APPLICATION_JSON)).andExpect(status().isUnauthorized());
        verifyNoInteractions(service);
    }

    @Test
    @WithMockUser(authorities = "SCOPE_streams:read")
    void withoutTheKeysScopeItIs403() throws Exception {
        mvc.perform(get("/api/keys").accept(MediaType.APPLICATION_JSON)).andExpect(status().isForbidden());
        mvc.perform(json(post("/api/keys"), "{\"label\":\"x\"}")).andExpect(status().isForbidden());
        verifyNoInteractions(service);
    }

    // ---- create ---------------------------------------------------------------------------------

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void createReturnsTheSecretOnceWithObsSettingsFromTheHostHeader() throws Exception {
        when(service.create(any())).thenReturn(new IssuedSecret(KEY, SECRET));
        mvc.perform(json(post("/api/keys"), "{\"label\":\"Main camera\"}").header("Host", "media.example.com:8080"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/keys/7"))
                .andExpect(jsonPath("$.secret").value(SECRET))
                .andExpect(jsonPath("$.obs.serverUrl").value("rtmp://media.example.com:1936/live"))
                .andExpect(jsonPath("$.obs.streamKey").value(SECRET))
                .andExpect(jsonPath("$.publishUrl").value("rtmp://media.example.com:1936/live/" + SECRET))
                .andExpect(jsonPath("$.key.id").value(7))
                .andExpect(jsonPath("$.key.publicName").value("main-camera"))
                .andExpect(jsonPath("$.key.secretPrefix").value("q3Zx…"))
                .andExpect(jsonPath("$.key.state").value("ACTIVE"))
                .andExpect(jsonPath("$.key.createdAt").value("2025-06-01T12:00:00Z"));
        verify(service).create(new CreateKeyRequest("Main camera", null, null, null, null, null, null, null));
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void theDefaultRtmpPortIsLeftOutOfTheServerUrl() throws Exception {
        when(rtmp.port()).thenReturn(1935);
        when(service.create(any())).thenReturn(new IssuedSecret(KEY, SECRET));
        mvc.perform(json(post("/api/keys"), "{\"label\":\"Main camera\"}").header("Host", "media.example.com"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.obs.serverUrl").value("rtmp://media.example.com/live"));
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void invalidInputIs400NamingEachFieldAndWhy() throws Exception {
        mvc.perform(json(post("/api/keys"), """
                        {"label":" ","publicName":".hidden","app":"live/../x","maxPublishers":0}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.errors[*].field", hasItem("label")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("publicName")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("app")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("maxPublishers")))
                .andExpect(jsonPath("$.errors[?(@.field=='publicName')].reason",
                        hasItem(StreamKeyDtos.NAME_MESSAGE)));
        mvc.perform(json(post("/api/keys"), "{\"label\":\"x\",\"publicName\":\"" + "a".repeat(201) + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("publicName"));
        mvc.perform(json(post("/api/keys"), "{\"label\":\"x\",\"publicName\":\"has space\"}"))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(service);
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void unreadableBodiesAre400() throws Exception {
        mvc.perform(json(post("/api/keys"), "{not json")).andExpect(status().isBadRequest());
        mvc.perform(json(post("/api/keys"), "{\"label\":\"x\",\"notAfter\":\"tomorrow\"}"))
                .andExpect(status().isBadRequest());
        mvc.perform(json(post("/api/keys"), "{\"label\":\"x\",\"maxPublishers\":\"many\"}"))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(service);
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void aTakenPublicNameIs409AndAnEmptyWindowIs400() throws Exception {
        when(service.create(any())).thenThrow(StreamKeyProblem.duplicatePublicName("live", "main-camera"));
        mvc.perform(json(post("/api/keys"), "{\"label\":\"x\",\"publicName\":\"main-camera\"}"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("main-camera")))
                .andExpect(jsonPath("$.errors[0].field").value("publicName"));
        doThrow(StreamKeyProblem.invalid("notAfter", "must be after notBefore")).when(service).create(any());
        mvc.perform(json(post("/api/keys"), "{\"label\":\"x\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("notAfter"))
                .andExpect(jsonPath("$.errors[0].reason").value("must be after notBefore"));
    }

    // ---- read -----------------------------------------------------------------------------------

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void listPassesFiltersAndPagingAndNeverShowsSecrets() throws Exception {
        when(service.list("cam", "live", true, 2, 10)).thenReturn(new KeyPage(List.of(KEY), 2, 10, 21, 3));
        mvc.perform(get("/api/keys").param("label", "cam").param("app", "live").param("enabled", "true")
                        .param("page", "2").param("size", "10").accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].publicName").value("main-camera"))
                .andExpect(jsonPath("$.items[0].secret").doesNotExist())
                .andExpect(jsonPath("$.totalItems").value(21))
                .andExpect(jsonPath("$.totalPages").value(3))
                .andExpect(content().string(not(containsString(SECRET))));
        when(service.list(null, null, null, 0, 20)).thenReturn(new KeyPage(List.of(), 0, 20, 0, 0));
        mvc.perform(get("/api/keys").accept(MediaType.APPLICATION_JSON)).andExpect(status().isOk())
                .andExpect(jsonPath("$.items").isEmpty());
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void badPagingAndBadIdsAre400() throws Exception {
        mvc.perform(get("/api/keys").param("size", "500").accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("size"));
        mvc.perform(get("/api/keys").param("page", "-1").accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/keys").param("enabled", "maybe").accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/keys/abc").accept(MediaType.APPLICATION_JSON)).andExpect(status().isBadRequest());
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void anUnknownIdIsA404Problem() throws Exception {
        when(service.get(99)).thenThrow(StreamKeyProblem.notFound(99));
        mvc.perform(get("/api/keys/99").accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.detail").value("No stream key with id 99."));
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void getReturnsTheKey() throws Exception {
        when(service.get(7)).thenReturn(KEY);
        mvc.perform(get("/api/keys/7").accept(MediaType.APPLICATION_JSON)).andExpect(status().isOk())
                .andExpect(jsonPath("$.label").value("Main camera"));
    }

    // ---- change ---------------------------------------------------------------------------------

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void updateNeedsEveryRequiredField() throws Exception {
        when(service.update(eq(7L), any())).thenReturn(KEY);
        mvc.perform(json(put("/api/keys/7"), """
                        {"label":"Main camera","enabled":true,"autoRecord":false,"maxPublishers":2,
                         "notAfter":"2030-01-01T00:00:00Z"}"""))
                .andExpect(status().isOk());
        verify(service).update(7L, new UpdateKeyRequest("Main camera", null, true, null,
                Instant.parse("2030-01-01T00:00:00Z"), false, 2));
        mvc.perform(json(put("/api/keys/7"), "{\"label\":\"Main camera\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", hasItem("enabled")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("autoRecord")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("maxPublishers")));
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void enableDisableAndDelete() throws Exception {
        when(service.setEnabled(anyLong(), eq(false))).thenReturn(KEY);
        when(service.setEnabled(anyLong(), eq(true))).thenReturn(KEY);
        mvc.perform(post("/api/keys/7/disable").with(csrf())).andExpect(status().isOk());
        verify(service).setEnabled(7, false);
        mvc.perform(post("/api/keys/7/enable").with(csrf())).andExpect(status().isOk());
        verify(service).setEnabled(7, true);
        mvc.perform(delete("/api/keys/7").with(csrf())).andExpect(status().isNoContent());
        verify(service).delete(7);
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void rotateReturnsTheNewSecretWithAnOptionalGracePeriod() throws Exception {
        when(service.rotate(eq(7L), any())).thenReturn(new IssuedSecret(KEY, SECRET));
        mvc.perform(post("/api/keys/7/rotate").with(csrf())).andExpect(status().isOk())
                .andExpect(jsonPath("$.secret").value(SECRET))
                .andExpect(jsonPath("$.obs.streamKey").value(SECRET));
        verify(service).rotate(7, Duration.ZERO);
        mvc.perform(json(post("/api/keys/7/rotate"), "{\"graceSeconds\":60}")).andExpect(status().isOk());
        verify(service).rotate(7, Duration.ofSeconds(60));
        mvc.perform(json(post("/api/keys/7/rotate"), "{\"graceSeconds\":-1}")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("graceSeconds"));
    }

    @Test
    @WithMockUser(authorities = "SCOPE_keys")
    void playTokensComeWithAPlayUrl() throws Exception {
        Instant expires = T0.plusSeconds(3600);
        when(service.issuePlayToken(7, Duration.ofSeconds(3600)))
                .thenReturn(new IssuedPlayToken("tok-en_1", expires, "live", "main-camera"));
        mvc.perform(post("/api/keys/7/play-token").with(csrf()).header("Host", "media.example.com"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.token").value("tok-en_1"))
                .andExpect(jsonPath("$.expiresAt").value("2025-06-01T13:00:00Z"))
                .andExpect(jsonPath("$.playUrl").value("rtmp://media.example.com:1936/live/main-camera?token=tok-en_1"));
        mvc.perform(json(post("/api/keys/7/play-token"), "{\"ttlSeconds\":0}")).andExpect(status().isBadRequest());
    }
}
