/**
 * StartAutomationExecution's errors as the SDK (v3, @aws-sdk/client-ssm) throws them, for tests
 * that mock SSM with aws-sdk-client-mock (moto has no Automation). An answer from SSM is the
 * modelled exception class (a ServiceException: `name`, `$fault`, `$metadata.httpStatusCode`),
 * after the standard retry's `attempts`; no answer is the HTTP handler's error (`TimeoutError`,
 * also for ECONNRESET/EPIPE/ETIMEDOUT), to which the retry adds `$metadata` without a status.
 * test/unit/remediation/ssm-automation-start.test.ts checks these against what the real SDK
 * throws for the same answers.
 */
import {
  AccessDeniedException,
  IdempotentParameterMismatch,
  InternalServerError,
  InvalidAutomationExecutionParametersException,
  SSMServiceException,
  ThrottlingException,
} from '@aws-sdk/client-ssm';

const REQUEST_ID = '8f1c2e3d-4b5a-4c6d-9e8f-0a1b2c3d4e5f';

/** `$metadata` of an error answer with `status`, after `attempts`. */
function answered(status: number, attempts = 1) {
  return { httpStatusCode: status, requestId: REQUEST_ID, attempts, totalRetryDelay: attempts > 1 ? 412 : 0 };
}

/** SSM answered 400 ThrottlingException on each of the SDK's 3 attempts. */
export function throttled(): ThrottlingException {
  return new ThrottlingException({
    Message: 'Rate exceeded',
    message: 'Rate exceeded',
    $metadata: answered(400, 3),
  });
}

/** SSM refused the document's parameters (HTTP 400, not retried). */
export function invalidParameters(): InvalidAutomationExecutionParametersException {
  return new InvalidAutomationExecutionParametersException({
    Message: 'Parameter "Directory" does not match the allowed pattern',
    message: 'Parameter "Directory" does not match the allowed pattern',
    $metadata: answered(400),
  });
}

/** The caller may not start the document (HTTP 400, not retried). */
export function accessDenied(): AccessDeniedException {
  return new AccessDeniedException({
    Message: 'not authorized to perform: ssm:StartAutomationExecution',
    message: 'not authorized to perform: ssm:StartAutomationExecution',
    $metadata: answered(400),
  });
}

/** An earlier request with the same ClientToken carried other parameters (HTTP 400). */
export function idempotentParameterMismatch(): IdempotentParameterMismatch {
  return new IdempotentParameterMismatch({
    Message: 'mismatch',
    message: 'mismatch',
    $metadata: answered(400),
  });
}

/** SSM failed on its side (HTTP 500) on each of the SDK's 3 attempts. */
export function internalServerError(): InternalServerError {
  return new InternalServerError({
    Message: 'An error occurred on the server side.',
    message: 'An error occurred on the server side.',
    $metadata: answered(500, 3),
  });
}

/** HTTP 503, not modelled for SSM: the service's base exception named after the error code. */
export function serviceUnavailable(): SSMServiceException {
  return new SSMServiceException({
    name: 'ServiceUnavailable',
    $fault: 'server',
    message: 'Service Unavailable',
    $metadata: answered(503, 3),
  });
}

/** No answer within the socket timeout, on each of the SDK's 3 attempts. */
export function timedOut(): Error {
  return Object.assign(
    new Error(
      '@smithy/node-http-handler - the request socket timed out after 3000 ms of inactivity (configured by client requestHandler).',
    ),
    { name: 'TimeoutError', $metadata: { attempts: 3, totalRetryDelay: 412 } },
  );
}

/** The connection dropped before an answer (the HTTP handler names ECONNRESET a TimeoutError). */
export function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), {
    name: 'TimeoutError',
    code: 'ECONNRESET',
    $metadata: { attempts: 3, totalRetryDelay: 412 },
  });
}
