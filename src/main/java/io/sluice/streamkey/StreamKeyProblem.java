package io.sluice.streamkey;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The stream key API's own errors as RFC 9457 problems: unknown id (404), a public name taken (409),
 * input that passes bean validation but not the rules (400, naming the field and why).
 */
public final class StreamKeyProblem extends ErrorResponseException {

    private StreamKeyProblem(HttpStatus status, String detail, String field, String reason) {
        super(status, problem(status, detail, field, reason), null);
    }

    private static ProblemDetail problem(HttpStatus status, String detail, String field, String reason) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        if (field != null) {
            p.setProperty("errors", List.of(Map.of("field", field, "reason", reason)));
        }
        return p;
    }

    static StreamKeyProblem notFound(long id) {
        return new StreamKeyProblem(HttpStatus.NOT_FOUND, "No stream key with id " + id + ".", null, null);
    }

    static StreamKeyProblem duplicatePublicName(String app, String publicName) {
        return new StreamKeyProblem(HttpStatus.CONFLICT, "The public name '" + publicName
                + "' is already used by another stream key of app '" + app + "'.", "publicName", "already in use");
    }

    static StreamKeyProblem invalid(String field, String reason) {
        return new StreamKeyProblem(HttpStatus.BAD_REQUEST, "Invalid request: " + field + " " + reason + ".", field,
                reason);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
