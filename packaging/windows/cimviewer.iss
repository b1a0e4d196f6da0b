; Inno Setup 6 script: the Windows installer of cimviewer.
;
; Made by `py scripts\dev.py package` when ISCC.exe (Inno Setup 6) is installed, or by hand
; after the frozen app is built:
;   ISCC /DAppVersion=0.1.0 /DSourceDir=dist\cimviewer-0.1.0-windows-x64 packaging\windows\cimviewer.iss
;
; Per-user install by default (no administrator rights, %LOCALAPPDATA%\Programs); the
; setup offers a machine-wide install (Program Files), also with /ALLUSERS or
; /CURRENTUSER on the command line. Start-menu entry, optional desktop icon, the
; .cimproj file association. Uninstall removes the program folder only: the user's
; projects, plugins (%LOCALAPPDATA%\cimviewer\cimviewer\plugins), settings and logs stay.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\cimviewer-" + AppVersion + "-windows-x64"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef OutputName
  #define OutputName "cimviewer-" + AppVersion + "-windows-x64-setup"
#endif
#define AppExe "cimviewer-gui.exe"
#define ProgId "cimviewer.project"

[Setup]
AppId={{3F69A75F-9DF3-4040-9CE9-03272E1E1777}
AppName=cimviewer
AppVersion={#AppVersion}
AppPublisher=cimviewer team
DefaultDirName={autopf}\cimviewer
DefaultGroupName=cimviewer
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
SetupIconFile=..\..\resources\icons\cimviewer.ico
UninstallDisplayIcon={app}\{#AppExe}
OutputDir={#OutputDir}
OutputBaseFilename={#OutputName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\cimviewer"; Filename: "{app}\{#AppExe}"; Comment: "City information model viewer"
Name: "{autoprograms}\cimviewer kiosk"; Filename: "{app}\{#AppExe}"; Parameters: "kiosk"
Name: "{autodesktop}\cimviewer"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .cimproj -> cimviewer.project (HKA: HKCU for a per-user install, HKLM machine-wide)
Root: HKA; Subkey: "Software\Classes\.cimproj"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.cimproj\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "cimviewer project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".cimproj"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,cimviewer}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; the built-in plugins with the byte-code caches Python writes beside them when it can
Type: filesandordirs; Name: "{app}\_internal\plugins"
