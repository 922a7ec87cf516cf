package io.sluice.relay;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The relay APIs' own errors as RFC 9457 problems. */
final class RelayProblem extends ErrorResponseException {

    record FieldProblem(String field, String reason) {
    }

    private RelayProblem(HttpStatus status, String detail, String field, String reason) {
        super(status, problem(status, detail, field, reason), null);
    }

    private static ProblemDetail problem(HttpStatus status, String detail, String field, String reason) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        if (field != null) {
            p.setProperty("errors", List.of(new FieldProblem(field, reason)));
        }
        return p;
    }

    static RelayProblem notFound(String detail) {
        return new RelayProblem(HttpStatus.NOT_FOUND, detail, null, null);
    }

    static RelayProblem conflict(String detail) {
        return new RelayProblem(HttpStatus.CONFLICT, detail, null, null);
    }

    static RelayProblem invalid(String field, String reason) {
        return new RelayProblem(HttpStatus.BAD_REQUEST, "Invalid request: " + field + " " + reason + ".", field, reason);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
