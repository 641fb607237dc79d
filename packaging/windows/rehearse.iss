; Inno Setup 6 script: a per-user Windows installer for the one-folder PyInstaller build.
; Build dist\Rehearse\ first (pyinstaller packaging\rehearse.spec), then:
;   iscc /DAppVersion=0.1.0 packaging\windows\rehearse.iss
; Output: dist\Rehearse-<version>-windows-x64-setup.exe. Paths are relative to this file.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1D3C52-8E0B-4C55-9F4B-2A7E5B8C9D10}
AppName=Rehearse
AppVersion={#AppVersion}
AppVerName=Rehearse {#AppVersion}
AppPublisher=The Rehearse developers
AppComments=Offline practice for job interviews, by text or by voice
DefaultDirName={autopf}\Rehearse
DefaultGroupName=Rehearse
DisableProgramGroupPage=yes
; No administrator rights needed: installs for the current user unless they choose otherwise.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Rehearse-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\assets\icons\rehearse.ico
UninstallDisplayIcon={app}\Rehearse.exe
LicenseFile=..\..\LICENSE
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\Rehearse\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Rehearse"; Filename: "{app}\Rehearse.exe"
Name: "{autodesktop}\Rehearse"; Filename: "{app}\Rehearse.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Rehearse.exe"; Description: "{cm:LaunchProgram,Rehearse}"; Flags: nowait postinstall skipifsilent
